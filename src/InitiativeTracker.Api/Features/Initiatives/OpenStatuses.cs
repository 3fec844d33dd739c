namespace InitiativeTracker.Api.Features.Initiatives;

/// <summary>
/// The statuses in which an initiative is still open: it can be overdue, has days until its deadline,
/// counts as open in the reports, fires deadline webhooks and ties its owner and task force. The one
/// list of them; the SQL text is spelled from it, so C# and SQL cannot disagree. Migrations, which are
/// history, spell them too (the partial index of 0006, the counting triggers of 0011): a change here is a
/// new migration that rebuilds those.
/// </summary>
internal static class OpenStatuses
{
    public static readonly IReadOnlyList<InitiativeStatus> All = [InitiativeStatus.Planned, InitiativeStatus.InProgress, InitiativeStatus.Blocked];

    /// <summary>The list for SQL's <c>status IN …</c>: <c>('planned', 'in_progress', 'blocked')</c>.</summary>
    public static readonly string Sql = $"({string.Join(", ", All.Select(s => $"'{s.ToText()}'"))})";

    public static bool IsOpen(this InitiativeStatus status) => All.Contains(status);
}
