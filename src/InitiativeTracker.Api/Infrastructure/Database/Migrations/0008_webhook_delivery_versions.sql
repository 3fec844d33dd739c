-- A delivery changes after it is queued (each attempt, a lease, a redelivery), so its GET carries an
-- ETag like every other changing resource: the quoted version, bumped by every UPDATE of the row.
-- Existing deliveries start at version 1.

ALTER TABLE webhook_deliveries ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
