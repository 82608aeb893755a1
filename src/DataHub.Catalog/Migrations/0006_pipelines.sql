-- Pipeline runs: the ingest_run row of a run carries its pipeline, what triggered it, the bytes and files read,
-- the snapshots it committed and its error. A run that succeeded accounts for every row it read.
ALTER TABLE datahub.ingest_run
    ADD COLUMN pipeline                text,
    ADD COLUMN trigger                 text NOT NULL DEFAULT 'manual',
    ADD COLUMN attempt                 integer NOT NULL DEFAULT 1,
    ADD COLUMN bytes_read              bigint,
    ADD COLUMN files_read              integer,
    ADD COLUMN snapshot_id             bigint,
    ADD COLUMN quarantine_snapshot_id  bigint,
    ADD COLUMN lineage_run_id          uuid,
    ADD COLUMN host                    text;
ALTER TABLE datahub.ingest_run DROP CONSTRAINT IF EXISTS ingest_run_status_check;
ALTER TABLE datahub.ingest_run ADD CONSTRAINT ingest_run_status_check
    CHECK (status IN ('running', 'succeeded', 'failed', 'abandoned'));
ALTER TABLE datahub.ingest_run ADD CONSTRAINT ingest_run_counts_add_up
    CHECK (status <> 'succeeded' OR rows_read = rows_committed + rows_quarantined);
CREATE INDEX ingest_run_pipeline_idx ON datahub.ingest_run (pipeline, id DESC);

-- Each source input (a file's content, by SHA-256) is ingested once per pipeline. Recorded in the same
-- transaction as the lake commit that holds its rows, so a crash can neither lose nor duplicate it.
CREATE TABLE datahub.pipeline_input (
    pipeline      text NOT NULL,
    content_hash  text NOT NULL,
    source        text NOT NULL,
    bytes         bigint NOT NULL,
    run_id        bigint NOT NULL REFERENCES datahub.ingest_run (id),
    ingested_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (pipeline, content_hash)
);

-- Incremental sources: the watermark (PostgreSQL) or cursor (HTTP) reached by the last committed run.
CREATE TABLE datahub.pipeline_state (
    pipeline    text PRIMARY KEY,
    watermark   text,
    run_id      bigint REFERENCES datahub.ingest_run (id),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- Quarantined rows (lake table quarantine.rejected_rows) that were corrected and re-submitted, and by which run.
CREATE TABLE datahub.quarantine_resolution (
    quarantine_id  text PRIMARY KEY,
    run_id         bigint NOT NULL REFERENCES datahub.ingest_run (id),
    resolved_at    timestamptz NOT NULL DEFAULT now()
);
