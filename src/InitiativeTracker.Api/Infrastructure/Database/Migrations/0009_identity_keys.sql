-- Identity fields compare by a normalised key (Infrastructure/Validation/Identity.cs: Unicode NFKC,
-- invisible characters dropped, white space collapsed, case-folded; an email's domain in ASCII form
-- without a trailing dot), so a fullwidth, NFD, NBSP or trailing-dot spelling of a taken email or name
-- is the same identity, not a second one. The typed text stays in email/name for display; the unique
-- indexes move to the keys, which every write computes in C#.
--
-- SQL cannot do NFKC: the migrator registers identity_key(kind, text) on its own connection while it
-- runs this script, and nowhere else (the sqlite3 shell reads, writes and checks the file as before; a
-- row written from the shell has a NULL key, which no index counts, until written again through the API).
--
-- Rows stored before this rule may already collide under it (li.na@x and ｌi.na@x both active). Both are
-- kept: the lowest id keeps the key and each later one's key is suffixed '#<id>', so the indexes build.
-- Such a row reads and is referenced as before; an edit that keeps the colliding email or name is the 409
-- a new collision would be, so the edit that clears it is the one that gives it an identity of its own.

ALTER TABLE owners ADD COLUMN email_key TEXT;
ALTER TABLE task_forces ADD COLUMN name_key TEXT;
ALTER TABLE api_keys ADD COLUMN name_key TEXT;

UPDATE owners SET email_key = identity_key('email', email) WHERE email IS NOT NULL;
UPDATE task_forces SET name_key = identity_key('name', name);
UPDATE api_keys SET name_key = identity_key('name', name);

UPDATE owners SET email_key = email_key || '#' || id
WHERE deleted_at IS NULL AND email_key IS NOT NULL
  AND EXISTS (SELECT 1 FROM owners o WHERE o.deleted_at IS NULL AND o.email_key = owners.email_key AND o.id < owners.id);
UPDATE task_forces SET name_key = name_key || '#' || id
WHERE deleted_at IS NULL
  AND EXISTS (SELECT 1 FROM task_forces t WHERE t.deleted_at IS NULL AND t.name_key = task_forces.name_key AND t.id < task_forces.id);
-- Key names are unique for good, revoked keys included.
UPDATE api_keys SET name_key = name_key || '#' || id
WHERE EXISTS (SELECT 1 FROM api_keys k WHERE k.name_key = api_keys.name_key AND k.id < api_keys.id);

DROP INDEX ux_owners_email;
DROP INDEX ux_task_forces_name;
DROP INDEX ux_api_keys_name;
CREATE UNIQUE INDEX ux_owners_email_key ON owners (email_key) WHERE email_key IS NOT NULL AND deleted_at IS NULL;
CREATE UNIQUE INDEX ux_task_forces_name_key ON task_forces (name_key) WHERE deleted_at IS NULL;
CREATE UNIQUE INDEX ux_api_keys_name_key ON api_keys (name_key);
