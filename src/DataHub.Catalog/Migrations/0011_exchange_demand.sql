-- 0011 exchange demand: the data-demand list (数据供需对接). A department posts a need for data the catalog does not
-- hold yet; the bureau assigns it to a providing department, which works on it and fulfils it with a catalogued
-- dataset, or declines it with reasons.
--
-- States (DataHub.Exchange.Demands.DemandStatus):
--   open ──assign──▶ assigned ──start──▶ in_progress ──fulfil──▶ fulfilled
--                    │  ▲ reassign       │
--                    │  └───────┘        └──decline──▶ declined
--                    └──fulfil / decline (without starting)
--   open ──decline (bureau only)──▶ declined
--   open | assigned | in_progress ──withdraw (requesting department)──▶ withdrawn
-- fulfilled, declined and withdrawn are final.
CREATE TABLE datahub.exchange_demand (
    id                    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    requesting_department text NOT NULL REFERENCES datahub.department (code),
    requesting_user       text NOT NULL,
    title                 text NOT NULL CHECK (btrim(title) <> ''),
    description           text NOT NULL,
    wanted_fields         text[] NOT NULL CHECK (cardinality(wanted_fields) >= 1),  -- free-text names, not catalog columns
    purpose               text NOT NULL,
    legal_basis           text NOT NULL,
    status                text NOT NULL DEFAULT 'open' CHECK (status IN
                              ('open', 'assigned', 'in_progress', 'fulfilled', 'declined', 'withdrawn')),
    assigned_provider     text REFERENCES datahub.department (code),
    assigned_by           text,
    due_date              date,                                  -- set by the bureau when assigning; optional
    fulfilled_dataset     text,                                  -- a catalogued dataset (checked when fulfilling)
    status_reason         text,                                  -- the note or reason of the latest change
    posted_at             timestamptz NOT NULL DEFAULT clock_timestamp(),
    updated_at            timestamptz NOT NULL DEFAULT clock_timestamp(),
    CHECK (assigned_provider <> requesting_department),
    CHECK ((assigned_provider IS NULL) = (assigned_by IS NULL)),
    CHECK (status NOT IN ('assigned', 'in_progress', 'fulfilled') OR assigned_provider IS NOT NULL),
    CHECK (status <> 'open' OR assigned_provider IS NULL),
    CHECK (due_date IS NULL OR assigned_provider IS NOT NULL),
    CHECK ((status = 'fulfilled') = (fulfilled_dataset IS NOT NULL)),
    CHECK (status <> 'declined' OR status_reason IS NOT NULL)
);
CREATE INDEX exchange_demand_requesting_idx ON datahub.exchange_demand (requesting_department, status);
CREATE INDEX exchange_demand_provider_idx ON datahub.exchange_demand (assigned_provider, status) WHERE assigned_provider IS NOT NULL;

-- One row per state change (posting included), written in the same transaction as the change and its audit row
-- (audit_seq: the datahub.audit_log row of that change; not a foreign key, so the audit log's own maintenance and
-- tamper tests stay independent). Refused attempts are only in the audit log.
CREATE TABLE datahub.exchange_demand_event (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    demand_id    bigint NOT NULL REFERENCES datahub.exchange_demand (id),
    at           timestamptz NOT NULL DEFAULT clock_timestamp(),
    actor        text NOT NULL,
    department   text NOT NULL,
    action       text NOT NULL CHECK (action IN ('posted', 'assigned', 'started', 'fulfilled', 'declined', 'withdrawn')),
    from_status  text,
    to_status    text NOT NULL,
    provider     text,                                           -- assigned: the provider
    due_date     date,                                           -- assigned: the due date
    dataset      text,                                           -- fulfilled: the dataset
    note         text,                                           -- declined: the reason; otherwise an optional note
    audit_seq    bigint NOT NULL UNIQUE,
    CHECK ((action = 'posted') = (from_status IS NULL))
);
CREATE INDEX exchange_demand_event_demand_idx ON datahub.exchange_demand_event (demand_id, id);
