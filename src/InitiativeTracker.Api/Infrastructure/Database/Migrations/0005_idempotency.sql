-- Idempotency-Key records: the first answer to a POST, kept for a day so a retry with the same key
-- replays it instead of writing again. Keys are scoped per API key (its name).
--
-- A row is a reservation while status_code is NULL: the first request holds it until locked_until.
-- A process that dies mid-request leaves a reservation that simply expires, so a key is never stuck
-- "in progress". Only successful (2xx) answers are kept; anything else deletes the reservation.
CREATE TABLE idempotency_keys (
    scope        TEXT    NOT NULL,  -- the API key's name
    key          TEXT    NOT NULL,  -- the client's Idempotency-Key
    request_hash TEXT    NOT NULL,  -- hex SHA-256 of method, path and query, and body
    reservation  TEXT    NOT NULL,  -- random token of the request that holds or completed the key
    locked_until TEXT,              -- while in progress: when the reservation lapses
    status_code  INTEGER,           -- NULL while in progress
    headers      TEXT,              -- JSON object of the replayed headers (Content-Type, Location, ETag)
    body         BLOB,
    created_at   TEXT    NOT NULL,
    expires_at   TEXT    NOT NULL,
    PRIMARY KEY (scope, key)
);
CREATE INDEX ix_idempotency_keys_expires ON idempotency_keys (expires_at);
