-- Reports rebuild past days from history: a check-in that completes an initiative records the date it
-- set as completedOn (in the tracker's zone at that moment), so history never re-derives it.
ALTER TABLE check_ins ADD COLUMN completed_on TEXT;
UPDATE check_ins
SET completed_on = (SELECT i.completed_on FROM initiatives i WHERE i.id = check_ins.initiative_id)
WHERE status = 'done';

CREATE INDEX ix_check_ins_reported_at ON check_ins (reported_at);
CREATE INDEX ix_deadline_changes_changed_at ON deadline_changes (changed_at);
CREATE INDEX ix_initiatives_completed_on ON initiatives (completed_on) WHERE completed_on IS NOT NULL;

-- The overdue and upcoming reports walk open initiatives in deadline order.
CREATE INDEX ix_initiatives_open_deadline ON initiatives (deadline)
    WHERE status IN ('planned', 'in_progress', 'blocked');
