-- Merge-on-read deltas (LakeTables.ReplaceKeysAsync): a delta file holds the new rows of a set of leading key values
-- and a tombstone (__lake_deleted) for each such value left without rows; a scan reads the data files without the
-- rows whose leading key the delta holds, plus the delta's live rows. At most one delta file is live per table.
-- row_count of a delta file counts its live rows; superseded_rows the data files' rows it hides.
ALTER TABLE datahub.lake_file
    ADD COLUMN delta boolean NOT NULL DEFAULT false,
    ADD COLUMN superseded_rows bigint NOT NULL DEFAULT 0 CHECK (superseded_rows >= 0);
-- The snapshot of such a write is a 'delta'.
ALTER TABLE datahub.lake_snapshot DROP CONSTRAINT lake_snapshot_operation_check;
ALTER TABLE datahub.lake_snapshot ADD CONSTRAINT lake_snapshot_operation_check
    CHECK (operation IN ('create', 'append', 'overwrite', 'merge', 'delete', 'schema', 'compact', 'delta'));
