namespace InitiativeTracker.Cli.Output;

/// <summary>
/// The fields of one kind of row, by their JSON names: <see cref="All"/> for JSON-less forms that must
/// not lose data (CSV, a single record's table), <see cref="Table"/> for a list on a terminal.
/// </summary>
internal sealed record Columns(string[] Table, string[] All)
{
    public static readonly Columns Initiative = new(
        ["id", "title", "status", "progress", "health", "deadline", "ownerId", "taskForceId", "isOverdue"],
        ["id", "directionId", "ownerId", "taskForceId", "title", "description", "startDate", "deadline", "originalDeadline",
         "status", "progress", "health", "completedOn", "isOverdue", "daysOverdue", "daysUntilDeadline", "lastCheckInAt",
         "deadlineChanges", "version", "createdAt", "updatedAt"]);

    public static readonly Columns Owner = new(
        ["id", "name", "email", "unit"],
        ["id", "name", "email", "unit", "version", "createdAt", "updatedAt"]);

    public static readonly Columns CheckIn = new(
        ["id", "initiativeId", "progress", "status", "health", "note", "reportedAt"],
        ["id", "initiativeId", "progress", "status", "previousStatus", "health", "note", "reportedBy", "reportedAt"]);

    public static readonly Columns Imported = new(["id"], ["id"]);

    public static readonly Columns OverdueRow = new(
        ["initiativeId", "title", "ownerName", "taskForceName", "deadline", "daysOverdue", "progress", "status", "health"], []);

    public static readonly Columns UpcomingRow = new(
        ["initiativeId", "title", "ownerName", "taskForceName", "deadline", "daysUntilDeadline", "progress", "status", "health"], []);

    public static readonly Columns Group = new(["groupId", "groupName", "count"], []);

    public static readonly Columns ProgressRow = new(
        ["scope", "directionNumber", "directionTitle", "total", "planned", "inProgress", "blocked", "done", "cancelled",
         "overdue", "atRisk", "offTrack", "meanProgress", "onTimeRate"], []);

    public static readonly Columns ExecutionRow = new(
        ["groupId", "groupName", "completed", "completedOnTime", "completedByOriginalDeadline", "onTimeRate", "medianDaysLate",
         "open", "openOverdue", "deadlineChanges", "staleInitiatives"], []);

    public static readonly Columns TrendPoint = new(
        ["groupName", "date", "total", "open", "done", "overdue", "atRisk", "offTrack", "meanProgress", "onTimeRate",
         "completed", "created", "deadlineMoves"], []);
}
