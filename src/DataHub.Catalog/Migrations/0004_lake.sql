-- 0004 lake: the table format. A table's state is the set of data files live at its current snapshot; a
-- commit adds a snapshot, adds and retires files, and moves lake_table.current_snapshot_id in one short
-- transaction. Files are immutable (copy-on-write): a file, and so each of its rows, is valid from the
-- snapshot that added it until the one that removed it. Older snapshots stay readable until expired.

CREATE TABLE datahub.lake_table (
    id                   bigserial PRIMARY KEY,
    name                 text NOT NULL UNIQUE CHECK (name ~ '^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$'),
    key_columns          text[] NOT NULL DEFAULT '{}',
    current_snapshot_id  bigint,
    next_field_id        int NOT NULL DEFAULT 1,
    created_at           timestamptz NOT NULL DEFAULT now()
);

-- Every schema a table has had: columns by stable field id, in order. A rename keeps the field id;
-- a widened type keeps it too; a dropped column is absent from later versions.
CREATE TABLE datahub.lake_schema (
    table_id        bigint NOT NULL REFERENCES datahub.lake_table (id) ON DELETE CASCADE,
    schema_version  int NOT NULL,
    columns         jsonb NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (table_id, schema_version)
);

CREATE TABLE datahub.lake_snapshot (
    id              bigserial PRIMARY KEY,
    table_id        bigint NOT NULL REFERENCES datahub.lake_table (id) ON DELETE CASCADE,
    parent_id       bigint REFERENCES datahub.lake_snapshot (id) ON DELETE SET NULL,
    committed_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
    author          text NOT NULL,
    message         text,
    operation       text NOT NULL CHECK (operation IN ('create', 'append', 'overwrite', 'merge', 'delete', 'schema', 'compact')),
    rows_added      bigint NOT NULL DEFAULT 0,
    rows_removed    bigint NOT NULL DEFAULT 0,
    schema_version  int NOT NULL
);
CREATE INDEX lake_snapshot_table_idx ON datahub.lake_snapshot (table_id, id);
CREATE INDEX lake_snapshot_time_idx ON datahub.lake_snapshot (table_id, committed_at);

ALTER TABLE datahub.lake_table
    ADD CONSTRAINT lake_table_current_snapshot_fk FOREIGN KEY (current_snapshot_id) REFERENCES datahub.lake_snapshot (id);

-- Data files. path is relative to the lake root. schema_version is the schema the file was written
-- with (its physical column names); column_stats maps field id to {min, max, nulls}.
CREATE TABLE datahub.lake_file (
    id                bigserial PRIMARY KEY,
    table_id          bigint NOT NULL REFERENCES datahub.lake_table (id) ON DELETE CASCADE,
    path              text NOT NULL UNIQUE CHECK (path !~ '^/' AND path !~ '(^|/)\.\.(/|$)'),
    row_count         bigint NOT NULL CHECK (row_count >= 0),
    size_bytes        bigint NOT NULL CHECK (size_bytes >= 0),
    schema_version    int NOT NULL,
    column_stats      jsonb NOT NULL DEFAULT '{}',
    added_snapshot    bigint NOT NULL,
    removed_snapshot  bigint,
    CHECK (removed_snapshot IS NULL OR removed_snapshot > added_snapshot)
);
CREATE INDEX lake_file_live_idx ON datahub.lake_file (table_id, added_snapshot, removed_snapshot);
