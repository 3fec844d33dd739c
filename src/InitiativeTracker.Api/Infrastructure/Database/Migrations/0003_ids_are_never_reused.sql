-- Without AUTOINCREMENT SQLite hands the id of a deleted newest row to the next insert, so a deleted
-- initiative's id (and its check-ins' ids) could name a different initiative later: the audit trail,
-- which is keyed by entity id, would then merge two histories, and clients holding the old id would
-- silently read another record. Directions and initiatives are the rows erased for real (owners and
-- task forces are archived); check-ins and deadline moves go with their initiative.
--
-- SQLite cannot add AUTOINCREMENT in place, so each table is rebuilt. The migrator runs this in a
-- transaction with foreign keys on, where PRAGMA foreign_keys cannot be switched off: the old tables
-- are renamed first (which repoints the children's REFERENCES at the renamed parents), the new tables
-- are created under the real names, the rows copied with their ids, and the old tables dropped
-- children first, so no ON DELETE CASCADE ever fires on live rows.

ALTER TABLE check_ins RENAME TO check_ins_old;
ALTER TABLE deadline_changes RENAME TO deadline_changes_old;
ALTER TABLE initiatives RENAME TO initiatives_old;
ALTER TABLE directions RENAME TO directions_old;

CREATE TABLE directions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    meeting_id  INTEGER NOT NULL REFERENCES meetings (id),
    number      INTEGER NOT NULL,
    title       TEXT    NOT NULL,
    description TEXT,
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL,
    UNIQUE (meeting_id, number)
);

CREATE TABLE initiatives (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    direction_id      INTEGER NOT NULL REFERENCES directions (id),
    owner_id          INTEGER NOT NULL REFERENCES owners (id),
    task_force_id     INTEGER REFERENCES task_forces (id),
    title             TEXT    NOT NULL,
    description       TEXT,
    start_date        TEXT,
    deadline          TEXT    NOT NULL,
    original_deadline TEXT    NOT NULL,
    status            TEXT    NOT NULL DEFAULT 'planned'
                      CHECK (status IN ('planned', 'in_progress', 'blocked', 'done', 'cancelled')),
    progress          INTEGER NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
    health            TEXT    NOT NULL DEFAULT 'on_track'
                      CHECK (health IN ('on_track', 'at_risk', 'off_track')),
    completed_on      TEXT,
    last_check_in_at  TEXT,
    deadline_changes  INTEGER NOT NULL DEFAULT 0,
    version           INTEGER NOT NULL DEFAULT 1,
    created_at        TEXT    NOT NULL,
    updated_at        TEXT    NOT NULL
);

CREATE TABLE check_ins (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    initiative_id   INTEGER NOT NULL REFERENCES initiatives (id) ON DELETE CASCADE,
    progress        INTEGER NOT NULL CHECK (progress BETWEEN 0 AND 100),
    status          TEXT    NOT NULL,
    previous_status TEXT    NOT NULL,
    health          TEXT    NOT NULL,
    note            TEXT,
    reported_by     TEXT    NOT NULL,
    reported_at     TEXT    NOT NULL
);

CREATE TABLE deadline_changes (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    initiative_id INTEGER NOT NULL REFERENCES initiatives (id) ON DELETE CASCADE,
    from_deadline TEXT    NOT NULL,
    to_deadline   TEXT    NOT NULL,
    reason        TEXT    NOT NULL,
    changed_by    TEXT    NOT NULL,
    changed_at    TEXT    NOT NULL
);

INSERT INTO directions (id, meeting_id, number, title, description, version, created_at, updated_at)
SELECT id, meeting_id, number, title, description, version, created_at, updated_at FROM directions_old;

INSERT INTO initiatives (id, direction_id, owner_id, task_force_id, title, description, start_date, deadline,
                         original_deadline, status, progress, health, completed_on, last_check_in_at,
                         deadline_changes, version, created_at, updated_at)
SELECT id, direction_id, owner_id, task_force_id, title, description, start_date, deadline,
       original_deadline, status, progress, health, completed_on, last_check_in_at,
       deadline_changes, version, created_at, updated_at
FROM initiatives_old;

INSERT INTO check_ins (id, initiative_id, progress, status, previous_status, health, note, reported_by, reported_at)
SELECT id, initiative_id, progress, status, previous_status, health, note, reported_by, reported_at FROM check_ins_old;

INSERT INTO deadline_changes (id, initiative_id, from_deadline, to_deadline, reason, changed_by, changed_at)
SELECT id, initiative_id, from_deadline, to_deadline, reason, changed_by, changed_at FROM deadline_changes_old;

-- Deleted ids the old tables had already reused are unknowable; from here on none is handed out twice.
DROP TABLE check_ins_old;
DROP TABLE deadline_changes_old;
DROP TABLE initiatives_old;
DROP TABLE directions_old;

CREATE INDEX ix_initiatives_direction ON initiatives (direction_id);
CREATE INDEX ix_initiatives_owner ON initiatives (owner_id);
CREATE INDEX ix_initiatives_task_force ON initiatives (task_force_id);
CREATE INDEX ix_initiatives_deadline ON initiatives (deadline);
CREATE INDEX ix_initiatives_status_deadline ON initiatives (status, deadline);
CREATE INDEX ix_check_ins_initiative ON check_ins (initiative_id, reported_at);
CREATE INDEX ix_deadline_changes_initiative ON deadline_changes (initiative_id, changed_at);
