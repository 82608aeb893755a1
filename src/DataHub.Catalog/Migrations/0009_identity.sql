-- 0009 identity: who calls the sharing exchange. Users belong to a department and hold roles; API keys belong to a
-- department (optionally to one of its users), grant a set of roles, and are stored only as the SHA-256 of their
-- secret (the secret is 32 random bytes, so a fast hash is enough: there is nothing to brute-force). The secret is
-- shown once, when the key is created; a key stops working when revoked_at is set or expires_at has passed.
-- Roles: requester (files requests for a department), approver (decides requests for the data its department
-- provides), bureau_admin (the data bureau's administrator), analyst (queries granted data).

CREATE TABLE datahub.app_user (
    name          text PRIMARY KEY CHECK (name ~ '^[a-z0-9][a-z0-9._-]{0,62}$'),
    department    text NOT NULL REFERENCES datahub.department (code),
    display_name  text NOT NULL,
    roles         text[] NOT NULL DEFAULT '{}'
                  CHECK (roles <@ ARRAY['requester', 'approver', 'bureau_admin', 'analyst']::text[]),
    active        boolean NOT NULL DEFAULT true,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX app_user_department_idx ON datahub.app_user (department);

CREATE TABLE datahub.api_key (
    id            text PRIMARY KEY CHECK (id ~ '^[a-z0-9]{12}$'),   -- the prefix shown to humans: dhk_<id>_…
    department    text NOT NULL REFERENCES datahub.department (code),
    user_name     text REFERENCES datahub.app_user (name),
    roles         text[] NOT NULL DEFAULT '{}'
                  CHECK (roles <@ ARRAY['requester', 'approver', 'bureau_admin', 'analyst']::text[]),
    secret_hash   bytea NOT NULL CHECK (octet_length(secret_hash) = 32),  -- SHA-256 of the secret's bytes
    created_at    timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz,                                            -- null: never expires
    revoked_at    timestamptz,
    CHECK (expires_at IS NULL OR expires_at > created_at)
);
CREATE INDEX api_key_department_idx ON datahub.api_key (department);
