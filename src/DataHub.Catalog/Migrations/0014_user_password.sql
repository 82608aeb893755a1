-- 0014 portal sign-in: a user may hold a password (PBKDF2-HMAC-SHA256, per-user salt; DataHub.Exchange.Identity.
-- PasswordHash). Signing in to the portal checks it and issues a short-lived API key of that user, kept in a cookie;
-- signing out revokes that key. Users without a password cannot sign in (department keys are unaffected).
ALTER TABLE datahub.app_user ADD COLUMN password_hash text
    CHECK (password_hash IS NULL OR password_hash ~ '^pbkdf2-sha256\$[0-9]+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$');
