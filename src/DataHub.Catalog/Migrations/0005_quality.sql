-- 0005 quality: one row per quality run of a dataset (at a lake snapshot), one per rule result, kept as history.
CREATE TABLE datahub.quality_run (
    id            bigserial PRIMARY KEY,
    dataset       text NOT NULL,
    snapshot_id   bigint,
    started_at    timestamptz NOT NULL DEFAULT now(),
    finished_at   timestamptz,
    rows_scanned  bigint NOT NULL DEFAULT 0,
    -- score per GB/T 36344 dimension (0–100) and "overall", e.g. {"completeness": 99.2, "overall": 97.5}
    scores        jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX quality_run_dataset_idx ON datahub.quality_run (dataset, started_at DESC);

CREATE TABLE datahub.quality_result (
    run_id     bigint NOT NULL REFERENCES datahub.quality_run (id) ON DELETE CASCADE,
    rule_id    text NOT NULL,
    kind       text NOT NULL,
    dimension  text NOT NULL,
    severity   text NOT NULL CHECK (severity IN ('warn', 'fail')),
    checked    bigint NOT NULL CHECK (checked >= 0),
    failed     bigint NOT NULL CHECK (failed >= 0 AND failed <= checked),
    outcome    text NOT NULL CHECK (outcome IN ('pass', 'warn', 'fail')),
    detail     text,
    samples    jsonb NOT NULL DEFAULT '[]',
    PRIMARY KEY (run_id, rule_id)
);
