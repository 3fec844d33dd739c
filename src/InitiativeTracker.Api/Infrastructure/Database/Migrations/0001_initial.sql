-- Core schema. Dates are ISO 'yyyy-MM-dd' text and timestamps ISO 'yyyy-MM-ddTHH:mm:ss.fffZ' text:
-- both sort and compare correctly as text, and read well in the sqlite3 shell.

CREATE TABLE meetings (
    id          INTEGER PRIMARY KEY,
    title       TEXT    NOT NULL,
    held_on     TEXT    NOT NULL,
    location    TEXT,
    summary     TEXT,
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL
);

CREATE TABLE directions (
    id          INTEGER PRIMARY KEY,
    meeting_id  INTEGER NOT NULL REFERENCES meetings (id),
    number      INTEGER NOT NULL,
    title       TEXT    NOT NULL,
    description TEXT,
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL,
    UNIQUE (meeting_id, number)
);

-- Owners and task forces are archived, not erased, when deleted: closed initiatives keep pointing
-- at them so history and execution reports stay whole.
CREATE TABLE owners (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL,
    email       TEXT COLLATE NOCASE,
    unit        TEXT,
    deleted_at  TEXT,
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL
);
CREATE UNIQUE INDEX ux_owners_email ON owners (email) WHERE email IS NOT NULL AND deleted_at IS NULL;

CREATE TABLE task_forces (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL COLLATE NOCASE,
    mandate     TEXT,
    lead_id     INTEGER REFERENCES owners (id),
    deleted_at  TEXT,
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL
);
CREATE UNIQUE INDEX ux_task_forces_name ON task_forces (name) WHERE deleted_at IS NULL;
CREATE INDEX ix_task_forces_lead ON task_forces (lead_id);

CREATE TABLE initiatives (
    id                INTEGER PRIMARY KEY,
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
CREATE INDEX ix_initiatives_direction ON initiatives (direction_id);
CREATE INDEX ix_initiatives_owner ON initiatives (owner_id);
CREATE INDEX ix_initiatives_task_force ON initiatives (task_force_id);
CREATE INDEX ix_initiatives_deadline ON initiatives (deadline);
CREATE INDEX ix_initiatives_status_deadline ON initiatives (status, deadline);

-- Append-only history: check-ins and deadline moves are never updated.
CREATE TABLE check_ins (
    id              INTEGER PRIMARY KEY,
    initiative_id   INTEGER NOT NULL REFERENCES initiatives (id) ON DELETE CASCADE,
    progress        INTEGER NOT NULL CHECK (progress BETWEEN 0 AND 100),
    status          TEXT    NOT NULL,
    previous_status TEXT    NOT NULL,
    health          TEXT    NOT NULL,
    note            TEXT,
    reported_by     TEXT    NOT NULL,
    reported_at     TEXT    NOT NULL
);
CREATE INDEX ix_check_ins_initiative ON check_ins (initiative_id, reported_at);

CREATE TABLE deadline_changes (
    id            INTEGER PRIMARY KEY,
    initiative_id INTEGER NOT NULL REFERENCES initiatives (id) ON DELETE CASCADE,
    from_deadline TEXT    NOT NULL,
    to_deadline   TEXT    NOT NULL,
    reason        TEXT    NOT NULL,
    changed_by    TEXT    NOT NULL,
    changed_at    TEXT    NOT NULL
);
CREATE INDEX ix_deadline_changes_initiative ON deadline_changes (initiative_id, changed_at);

CREATE TABLE audit_entries (
    id          INTEGER PRIMARY KEY,
    occurred_at TEXT    NOT NULL,
    actor       TEXT    NOT NULL,
    entity_type TEXT    NOT NULL,
    entity_id   INTEGER NOT NULL,
    action      TEXT    NOT NULL,
    changes     TEXT    NOT NULL  -- JSON: { "field": { "before": …, "after": … } }
);
CREATE INDEX ix_audit_entries_entity ON audit_entries (entity_type, entity_id);
CREATE INDEX ix_audit_entries_actor ON audit_entries (actor);
CREATE INDEX ix_audit_entries_occurred ON audit_entries (occurred_at);
