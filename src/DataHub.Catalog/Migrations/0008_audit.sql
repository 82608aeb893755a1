-- 0008 audit: the sharing exchange's tamper-evident audit log. Every request, decision, grant change, query,
-- export and failed attempt is one row; each row carries the SHA-256 of the row before it (prev_hash) and its own
-- hash over prev_hash and a canonical form of its fields (see DataHub.Catalog.Audit.AuditLog for the exact form).
-- seq is assigned by the appender as last seq + 1 while it holds the audit advisory lock, so the chain is linear
-- and has no gaps (an identity column would skip numbers on rollback, which verification would report as a gap).
CREATE TABLE datahub.audit_log (
    seq         bigint PRIMARY KEY CHECK (seq >= 1),
    at          timestamptz NOT NULL,
    actor       text NOT NULL,                       -- user name or API key id
    department  text,                                -- the actor's department code, when known
    action      text NOT NULL,                       -- request.filed, grant.revoked, query, export, auth.denied, …
    target      text,                                -- grant id, dataset name, …
    outcome     text NOT NULL CHECK (outcome IN ('ok', 'denied', 'error')),
    detail      jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(detail) = 'object'),
    prev_hash   bytea NOT NULL CHECK (octet_length(prev_hash) = 32),  -- 32 zero bytes for seq 1
    hash        bytea NOT NULL CHECK (octet_length(hash) = 32)
);
CREATE INDEX audit_log_at_idx ON datahub.audit_log (at);
CREATE INDEX audit_log_actor_idx ON datahub.audit_log (actor, at);

-- Append-only at the database level: UPDATE, DELETE and TRUNCATE raise, for every role, unless the session has set
-- datahub.audit_maintenance = 'on' AND the current role is a member of the table's owner (or a superuser).
-- A custom setting can be set by any role, so the setting alone is not the gate: the owner check is. This is the
-- documented way for administrators (and the tests that tamper on purpose) to change rows. It protects the log from
-- the application role when that role is not the owner, and from mistakes by anyone; it does not stop the owner,
-- who can also drop the trigger — that is what the hash chain is for: such changes are detected by verification.
CREATE FUNCTION datahub.audit_log_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF coalesce(current_setting('datahub.audit_maintenance', true), '') = 'on'
       AND pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'MEMBER') THEN
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'datahub.audit_log is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'The table owner may SET datahub.audit_maintenance = on for maintenance; verification will see any change.';
END
$$;

CREATE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON datahub.audit_log
    FOR EACH ROW EXECUTE FUNCTION datahub.audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON datahub.audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION datahub.audit_log_append_only();

-- No role but the owner gets more than it is granted; a deployment with a separate application role grants it
-- only USAGE on the schema and SELECT, INSERT on this table.
REVOKE ALL ON datahub.audit_log FROM PUBLIC;
