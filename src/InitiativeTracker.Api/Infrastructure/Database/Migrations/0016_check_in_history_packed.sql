-- The trend reads each check-in in the range as (initiative id, packed state): ReportSnapshot.CheckInHistory.
-- Computing the packed state (three CASEs over texts and a julianday) took SQLite two to three times what
-- reading the row did. This index stores it: SQLite reads an indexed expression instead of computing it
-- when the query's expression is the same, so the replay reads nothing but the index. QueryPlanTests
-- fails if the query's expression ever stops matching this one (the index would no longer cover it).
DROP INDEX ix_check_ins_history;
CREATE INDEX ix_check_ins_history ON check_ins (
    reported_at, id, initiative_id,
    (CASE status WHEN 'planned' THEN 0 WHEN 'in_progress' THEN 1 WHEN 'blocked' THEN 2 WHEN 'done' THEN 3 WHEN 'cancelled' THEN 4 ELSE 7 END
     | (CASE health WHEN 'on_track' THEN 0 WHEN 'at_risk' THEN 1 WHEN 'off_track' THEN 2 ELSE 3 END << 3)
     | (progress << 5)
     | (COALESCE(CAST(julianday(CASE WHEN status = 'done' THEN completed_on END) - 1721425.5 AS INTEGER), 0) << 12)));
