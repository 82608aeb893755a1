-- 0001 catalog: the minimal catalog the foundation needs. Later migrations add data elements, code sets,
-- snapshots, lineage and quality; keep this file unchanged once released and add 0002_… instead.
-- Runs inside one transaction opened by the migrator, in schema datahub (created by the migrator).

-- Departments and utilities that provide or request data.
CREATE TABLE datahub.department (
    code        text PRIMARY KEY,
    name        text NOT NULL,
    kind        text NOT NULL DEFAULT 'department' CHECK (kind IN ('department', 'utility')),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- The L1–L5 data architecture: L1 subject-area group, L2 subject area, L3 business object,
-- L4 logical entity, L5 attribute. Only L1 nodes have no parent; the loader checks parent level = level - 1.
CREATE TABLE datahub.subject_node (
    id           bigserial PRIMARY KEY,
    level        smallint NOT NULL CHECK (level BETWEEN 1 AND 5),
    code         text NOT NULL UNIQUE,
    name         text NOT NULL,
    parent_id    bigint REFERENCES datahub.subject_node (id),
    description  text,
    updated_at   timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT subject_node_root_has_no_parent CHECK ((level = 1) = (parent_id IS NULL))
);
CREATE INDEX subject_node_parent_idx ON datahub.subject_node (parent_id);

-- Catalogue entries after GB/T 21063 core metadata. name is the lake table name (schema.table).
CREATE TABLE datahub.dataset (
    id               bigserial PRIMARY KEY,
    name             text NOT NULL UNIQUE,
    title            text NOT NULL,
    resource_code    text UNIQUE,
    provider_code    text NOT NULL REFERENCES datahub.department (code),
    abstract         text,
    update_cycle     text,
    share_type       text NOT NULL CHECK (share_type IN ('unconditional', 'conditional', 'not_shareable')),
    share_condition  text,
    open_attribute   text,
    sensitivity      smallint NOT NULL CHECK (sensitivity BETWEEN 1 AND 4),
    importance       text NOT NULL CHECK (importance IN ('core', 'important', 'general')),
    l4_node_id       bigint REFERENCES datahub.subject_node (id),
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    -- conditional sharing states its condition; not_shareable states its legal basis in share_condition.
    CONSTRAINT dataset_share_condition_given
        CHECK (share_type = 'unconditional' OR share_condition IS NOT NULL)
);
CREATE INDEX dataset_provider_idx ON datahub.dataset (provider_code);

-- Physical columns (information items); each maps to one L5 attribute. source is the header in the
-- department's files that the column is read from.
CREATE TABLE datahub.dataset_column (
    dataset_id   bigint NOT NULL REFERENCES datahub.dataset (id) ON DELETE CASCADE,
    ordinal      int NOT NULL CHECK (ordinal >= 1),
    name         text NOT NULL,
    data_type    text NOT NULL,
    source       text,
    l5_node_id   bigint REFERENCES datahub.subject_node (id),
    description  text,
    PRIMARY KEY (dataset_id, ordinal),
    -- Deferred so that the loader can reorder columns within one transaction.
    CONSTRAINT dataset_column_name_unique UNIQUE (dataset_id, name) DEFERRABLE INITIALLY DEFERRED
);

-- One ingestion of one dataset; rows_read = rows_committed + rows_quarantined once finished.
CREATE TABLE datahub.ingest_run (
    id                bigserial PRIMARY KEY,
    dataset_id        bigint NOT NULL REFERENCES datahub.dataset (id),
    started_at        timestamptz NOT NULL DEFAULT now(),
    finished_at       timestamptz,
    rows_read         bigint,
    rows_committed    bigint,
    rows_quarantined  bigint,
    status            text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'succeeded', 'failed')),
    message           text
);
CREATE INDEX ingest_run_dataset_idx ON datahub.ingest_run (dataset_id, started_at DESC);

-- Why a row was quarantined. field is null when the whole row is at fault.
CREATE TABLE datahub.ingest_rejection (
    run_id       bigint NOT NULL REFERENCES datahub.ingest_run (id) ON DELETE CASCADE,
    source_file  text NOT NULL,
    line         bigint,
    field        text,
    reason       text NOT NULL
);
CREATE INDEX ingest_rejection_run_idx ON datahub.ingest_rejection (run_id);

-- Data files of the lake; path is relative to the lake root.
CREATE TABLE datahub.data_file (
    id          bigserial PRIMARY KEY,
    dataset_id  bigint NOT NULL REFERENCES datahub.dataset (id),
    run_id      bigint REFERENCES datahub.ingest_run (id),
    path        text NOT NULL UNIQUE CHECK (path <> '' AND path !~ '^/' AND path !~ '(^|/)\.\.(/|$)'),
    row_count   bigint NOT NULL CHECK (row_count >= 0),
    size_bytes  bigint NOT NULL CHECK (size_bytes >= 0),
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX data_file_dataset_idx ON datahub.data_file (dataset_id);
