-- 0003 lineage: OpenLineage runs and events, and the column-level lineage graph they describe.
-- Datasets are names (a lake table such as water.meter_reading_daily, or a source such as
-- file:samples/water/x.csv), so nothing here depends on the catalog's or the lake's tables.

-- One run of a job (an ingest, a theme build, an export); state follows the last event recorded.
CREATE TABLE datahub.lineage_run (
    run_id         uuid PRIMARY KEY,
    job_namespace  text NOT NULL,
    job_name       text NOT NULL,
    state          text NOT NULL CHECK (state IN ('START', 'RUNNING', 'COMPLETE', 'ABORT', 'FAIL', 'OTHER')),
    started_at     timestamptz NOT NULL,
    ended_at       timestamptz
);
CREATE INDEX lineage_run_job_idx ON datahub.lineage_run (job_namespace, job_name, started_at DESC);

-- Every OpenLineage RunEvent emitted (valid against spec 2-0-2; jsonb, so member order is PostgreSQL's).
CREATE TABLE datahub.lineage_event (
    id          bigserial PRIMARY KEY,
    run_id      uuid NOT NULL REFERENCES datahub.lineage_run (run_id) ON DELETE CASCADE,
    event_type  text NOT NULL CHECK (event_type IN ('START', 'RUNNING', 'COMPLETE', 'ABORT', 'FAIL', 'OTHER')),
    event_time  timestamptz NOT NULL,
    payload     jsonb NOT NULL
);
CREATE INDEX lineage_event_run_idx ON datahub.lineage_event (run_id, id);

-- A column of a dataset. field '*' stands for the dataset as a whole (dependencies such as row filters).
CREATE TABLE datahub.lineage_node (
    id       bigserial PRIMARY KEY,
    dataset  text NOT NULL CHECK (dataset <> ''),
    field    text NOT NULL CHECK (field <> ''),
    CONSTRAINT lineage_node_column_unique UNIQUE (dataset, field)
);

-- output ← input: the input column produced (DIRECT) or influenced (INDIRECT) the output column.
-- One row per distinct dependency; first_run/last_run say which completed runs recorded it.
CREATE TABLE datahub.column_lineage (
    output_node     bigint NOT NULL REFERENCES datahub.lineage_node (id),
    input_node      bigint NOT NULL REFERENCES datahub.lineage_node (id),
    type            text NOT NULL CHECK (type IN ('DIRECT', 'INDIRECT')),
    subtype         text NOT NULL CHECK (subtype ~ '^[A-Z_]{1,40}$'),
    masked          boolean NOT NULL DEFAULT false,
    description     text,
    first_run       uuid NOT NULL REFERENCES datahub.lineage_run (run_id),
    last_run        uuid NOT NULL REFERENCES datahub.lineage_run (run_id),
    recorded_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (output_node, input_node, type, subtype)
);
-- Upstream walks read by output_node (the primary key); downstream walks by input_node.
CREATE INDEX column_lineage_input_idx ON datahub.column_lineage (input_node) INCLUDE (output_node);
