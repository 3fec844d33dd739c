-- What operating the service needs from the database. storage_probe is the one row readiness writes, while
-- a storage fault is recorded, to find out whether writes commit again (StorageFaults.ProbeAsync): a real
-- commit on a table no request reads. backup_runs records each backup the `backup` verb completed (the
-- copy written and its integrity check passed), so the time since the last one can be watched (/metrics).
CREATE TABLE storage_probe (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    probed_at TEXT    NOT NULL
);

CREATE TABLE backup_runs (
    id           INTEGER PRIMARY KEY,
    completed_at TEXT    NOT NULL,
    destination  TEXT    NOT NULL,
    bytes        INTEGER NOT NULL
);
