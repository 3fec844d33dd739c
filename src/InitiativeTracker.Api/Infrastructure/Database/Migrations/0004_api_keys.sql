-- API keys. The secret is never stored: only its SHA-256 hash, and a short prefix of it that is
-- not enough to use the key but lets people recognise it (and lets authentication find the row
-- before comparing hashes in constant time). A revoked key keeps its row, and its name stays taken,
-- so the actor named in the audit trail always means one key.
CREATE TABLE api_keys (
    id           INTEGER PRIMARY KEY,
    name         TEXT    NOT NULL COLLATE NOCASE,
    role         TEXT    NOT NULL CHECK (role IN ('admin', 'lead', 'coordinator', 'viewer')),
    owner_id     INTEGER REFERENCES owners (id),
    prefix       TEXT    NOT NULL,
    key_hash     BLOB    NOT NULL,
    expires_at   TEXT,
    last_used_at TEXT,
    revoked_at   TEXT,
    version      INTEGER NOT NULL DEFAULT 1,
    created_at   TEXT    NOT NULL,
    -- A lead acts for exactly one owner; no other role is bound to one.
    CHECK ((role = 'lead') = (owner_id IS NOT NULL))
);
CREATE UNIQUE INDEX ux_api_keys_name ON api_keys (name);
CREATE UNIQUE INDEX ux_api_keys_hash ON api_keys (key_hash);
CREATE INDEX ix_api_keys_prefix ON api_keys (prefix);
