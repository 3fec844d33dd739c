-- A report page grouped by direction, owner or task force is ordered by group, then deadline. No
-- index held that order, so the first grouped page sorted every matching row (about 0.5 s for the
-- overdue page at 100,000 initiatives). With these, the page walks the groups in report order (a
-- direction's UNIQUE (meeting_id, number), an owner's or task force's name) and each group's open
-- initiatives in deadline order, and stops after a page.
--
-- The initiatives indexes hold open initiatives only, like ix_initiatives_open_deadline (task_force_id
-- NULL included: the rows without a task force come last, from the same index). The ungrouped page
-- keeps ix_initiatives_open_deadline: its joins use a unary + on these columns (DeadlineReportRows.cs).
CREATE INDEX ix_initiatives_open_direction_deadline ON initiatives (direction_id, deadline)
    WHERE status IN ('planned', 'in_progress', 'blocked');
CREATE INDEX ix_initiatives_open_owner_deadline ON initiatives (owner_id, deadline)
    WHERE status IN ('planned', 'in_progress', 'blocked');
CREATE INDEX ix_initiatives_open_task_force_deadline ON initiatives (task_force_id, deadline)
    WHERE status IN ('planned', 'in_progress', 'blocked');

-- The groups' report order (task_forces.name is declared COLLATE NOCASE, owners.name is not).
CREATE INDEX ix_owners_name ON owners (name COLLATE NOCASE);
CREATE INDEX ix_task_forces_name ON task_forces (name);
