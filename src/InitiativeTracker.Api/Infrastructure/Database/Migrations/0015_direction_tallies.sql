-- The progress report (and the dashboard's first view, which waits on it) read every initiative: about
-- 0.1 s of SQLite time at 100,000 initiatives, several times that on a busy machine. This table keeps,
-- per direction, status and health, the number of initiatives, the sum of their progress and how many
-- of them were done on time, exact in the same transaction as every write (the triggers below), as
-- open_deadline_counts (0011) does for open deadlines. Today's report, for every initiative or one
-- direction, then sums at most directions x 5 x 3 rows, whatever the number of initiatives.
CREATE TABLE direction_tallies (
    direction_id INTEGER NOT NULL,
    status       TEXT    NOT NULL,
    health       TEXT    NOT NULL,
    n            INTEGER NOT NULL,
    progress_sum INTEGER NOT NULL,
    on_time      INTEGER NOT NULL,
    PRIMARY KEY (direction_id, status, health)
) WITHOUT ROWID;

INSERT INTO direction_tallies (direction_id, status, health, n, progress_sum, on_time)
SELECT direction_id, status, health, COUNT(*), SUM(progress), COUNT(CASE WHEN status = 'done' AND completed_on <= deadline THEN 1 END)
FROM initiatives GROUP BY direction_id, status, health;

CREATE TRIGGER tr_direction_tallies_insert AFTER INSERT ON initiatives
BEGIN
    INSERT INTO direction_tallies (direction_id, status, health, n, progress_sum, on_time)
    VALUES (NEW.direction_id, NEW.status, NEW.health, 1, NEW.progress,
            COALESCE(NEW.status = 'done' AND NEW.completed_on <= NEW.deadline, 0))
    ON CONFLICT (direction_id, status, health) DO UPDATE
    SET n = n + 1, progress_sum = progress_sum + excluded.progress_sum, on_time = on_time + excluded.on_time;
END;

CREATE TRIGGER tr_direction_tallies_delete AFTER DELETE ON initiatives
BEGIN
    UPDATE direction_tallies
    SET n = n - 1, progress_sum = progress_sum - OLD.progress,
        on_time = on_time - COALESCE(OLD.status = 'done' AND OLD.completed_on <= OLD.deadline, 0)
    WHERE direction_id = OLD.direction_id AND status = OLD.status AND health = OLD.health;
    DELETE FROM direction_tallies WHERE direction_id = OLD.direction_id AND status = OLD.status AND health = OLD.health AND n = 0;
END;

CREATE TRIGGER tr_direction_tallies_update AFTER UPDATE OF direction_id, status, health, progress, deadline, completed_on ON initiatives
BEGIN
    UPDATE direction_tallies
    SET n = n - 1, progress_sum = progress_sum - OLD.progress,
        on_time = on_time - COALESCE(OLD.status = 'done' AND OLD.completed_on <= OLD.deadline, 0)
    WHERE direction_id = OLD.direction_id AND status = OLD.status AND health = OLD.health;
    DELETE FROM direction_tallies WHERE direction_id = OLD.direction_id AND status = OLD.status AND health = OLD.health AND n = 0;
    INSERT INTO direction_tallies (direction_id, status, health, n, progress_sum, on_time)
    VALUES (NEW.direction_id, NEW.status, NEW.health, 1, NEW.progress,
            COALESCE(NEW.status = 'done' AND NEW.completed_on <= NEW.deadline, 0))
    ON CONFLICT (direction_id, status, health) DO UPDATE
    SET n = n + 1, progress_sum = progress_sum + excluded.progress_sum, on_time = on_time + excluded.on_time;
END;
