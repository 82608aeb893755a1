-- 0012 exchange delivery: what left the platform under a grant. The provider's approval may name requested columns
-- shown unmasked (exchange_request.plain_columns, copied to the grant). Each query, export and verification under a
-- grant is one exchange_delivery row, written once when the call ends (append-only, like the audit log): who, how,
-- which snapshot, how many rows and bytes, the SHA-256 of exactly the bytes sent, and whether masks applied.
-- delivery 'verify': lookups only (does this person or entity exist, with the granted fields), never rows in bulk.
ALTER TABLE datahub.exchange_request ADD COLUMN plain_columns text[] NOT NULL DEFAULT '{}';
ALTER TABLE datahub.exchange_request DROP CONSTRAINT exchange_request_delivery_check;
ALTER TABLE datahub.exchange_request ADD CONSTRAINT exchange_request_delivery_check CHECK (delivery IN ('api', 'export', 'both', 'verify'));

CREATE TABLE datahub.exchange_delivery (
    id           uuid PRIMARY KEY,
    grant_id     bigint NOT NULL REFERENCES datahub.exchange_grant (id),
    kind         text NOT NULL CHECK (kind IN ('query', 'export', 'verify')),
    format       text NOT NULL CHECK (format IN ('json', 'csv', 'parquet')),
    actor        text NOT NULL,
    department   text NOT NULL,
    snapshot_id  bigint,
    columns      text[] NOT NULL,
    masked       boolean NOT NULL,                       -- any column left masked
    rows         bigint NOT NULL CHECK (rows >= 0),
    bytes        bigint NOT NULL CHECK (bytes >= 0),
    sha256       bytea CHECK (sha256 IS NULL OR octet_length(sha256) = 32),
    status       text NOT NULL CHECK (status IN ('completed', 'failed', 'aborted')),
    error        text,
    started_at   timestamptz NOT NULL,
    finished_at  timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX exchange_delivery_grant_idx ON datahub.exchange_delivery (grant_id, started_at);

CREATE FUNCTION datahub.exchange_delivery_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '%.% is append-only: % refused', TG_TABLE_SCHEMA, TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER exchange_delivery_no_update_delete BEFORE UPDATE OR DELETE OR TRUNCATE ON datahub.exchange_delivery
    FOR EACH STATEMENT EXECUTE FUNCTION datahub.exchange_delivery_append_only();
REVOKE ALL ON datahub.exchange_delivery FROM PUBLIC;

-- Decisions are never changed or removed once taken: the same append-only rule.
CREATE TRIGGER exchange_decision_no_update_delete BEFORE UPDATE OR DELETE OR TRUNCATE ON datahub.exchange_decision
    FOR EACH STATEMENT EXECUTE FUNCTION datahub.exchange_delivery_append_only();
