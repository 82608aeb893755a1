-- 0010 exchange requests: a department's request for a dataset, the decisions on it and the grant it yields.
-- Share types after 国发〔2016〕51号: unconditional requests are granted after the automatic compliance check,
-- conditional ones wait for the provider (and, from sensitivity level 3, the bureau), not-shareable ones are refused.
CREATE TABLE datahub.exchange_request (
    id                    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    requesting_department text NOT NULL,
    requesting_user       text NOT NULL,
    dataset               text NOT NULL,
    columns               text[] NOT NULL CHECK (cardinality(columns) >= 1),
    row_filter            jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(row_filter) = 'array'),  -- [{field, operator, values}]
    purpose               text NOT NULL,
    legal_basis           text NOT NULL,
    delivery              text NOT NULL CHECK (delivery IN ('api', 'export', 'both')),
    period_from           date NOT NULL,
    period_until          date NOT NULL CHECK (period_until >= period_from),
    status                text NOT NULL CHECK (status IN
                              ('filed', 'approved_by_provider', 'granted', 'rejected', 'refused', 'withdrawn', 'escalated')),
    status_reason         text,
    filed_at              timestamptz NOT NULL DEFAULT clock_timestamp(),
    updated_at            timestamptz NOT NULL DEFAULT clock_timestamp(),
    due_date              date                                   -- conditional requests: the provider answers by then
);
CREATE INDEX exchange_request_due_idx ON datahub.exchange_request (due_date) WHERE status = 'filed';
CREATE INDEX exchange_request_dataset_idx ON datahub.exchange_request (dataset, status);

CREATE TABLE datahub.exchange_decision (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    request_id  bigint NOT NULL REFERENCES datahub.exchange_request (id),
    actor       text NOT NULL,
    department  text NOT NULL,
    role        text NOT NULL,
    decision    text NOT NULL CHECK (decision IN ('approve', 'reject')),
    reason      text NOT NULL,
    stage       text NOT NULL CHECK (stage IN ('provider', 'bureau')),
    decided_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
    UNIQUE (request_id, stage)
);

CREATE TABLE datahub.exchange_grant (
    id                    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    request_id            bigint NOT NULL UNIQUE REFERENCES datahub.exchange_request (id),
    dataset               text NOT NULL,
    department            text NOT NULL,                       -- the department the grant is for
    columns               text[] NOT NULL,
    row_filter            jsonb NOT NULL DEFAULT '[]',
    plain_columns         text[] NOT NULL DEFAULT '{}',        -- columns the approval shows unmasked
    valid_from            date NOT NULL,
    valid_until           date NOT NULL CHECK (valid_until >= valid_from),
    granted_at            timestamptz NOT NULL DEFAULT clock_timestamp(),
    revoked_at            timestamptz,
    revoked_by            text,
    revoke_reason         text,
    CHECK ((revoked_at IS NULL) = (revoked_by IS NULL))
);
CREATE INDEX exchange_grant_department_idx ON datahub.exchange_grant (department, dataset) WHERE revoked_at IS NULL;
