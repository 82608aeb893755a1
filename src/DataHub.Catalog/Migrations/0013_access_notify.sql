-- 0013 access notifications: any change to API keys, users, requests or grants sends NOTIFY datahub_access (at
-- commit), so that a serving process may keep copies of them in memory and drop every copy the moment one changes
-- (DataHub.Exchange.Identity.AccessChanges). One notification per statement is enough: the listener forgets all
-- copies, whatever changed.
CREATE FUNCTION datahub.access_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('datahub_access', TG_TABLE_NAME);
    RETURN NULL;
END;
$$;

CREATE TRIGGER api_key_access_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON datahub.api_key
    FOR EACH STATEMENT EXECUTE FUNCTION datahub.access_changed();
CREATE TRIGGER app_user_access_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON datahub.app_user
    FOR EACH STATEMENT EXECUTE FUNCTION datahub.access_changed();
CREATE TRIGGER exchange_request_access_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON datahub.exchange_request
    FOR EACH STATEMENT EXECUTE FUNCTION datahub.access_changed();
CREATE TRIGGER exchange_grant_access_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON datahub.exchange_grant
    FOR EACH STATEMENT EXECUTE FUNCTION datahub.access_changed();
