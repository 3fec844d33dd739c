using InitiativeTracker.Api.Features.Initiatives;

namespace InitiativeTracker.Api.Features.Reports;

/// <summary>
/// The initiatives a report looks at, as the SQL common table expression <c>snapshot</c>. For today
/// or a future date it is the initiatives table as it is now. For a past date it is rebuilt from
/// history: only initiatives created by the end of that day, each with the deadline of its last
/// deadline move before then (else its original deadline) and the status, progress, health and
/// completion of its last check-in before then (else planned, 0, on track).
/// </summary>
internal static class ReportSnapshot
{
    /// <summary>The CTE (without WITH) for <paramref name="day"/>; parameters <c>@EndUtc</c> and the query's filters.</summary>
    public static string Cte(ReportDay day, ReportQuery query) => day.Historical
        ? $"""
            snapshot AS (
                SELECT i.id, i.direction_id, i.owner_id, i.task_force_id, i.title, i.original_deadline, i.created_at,
                       COALESCE((SELECT dc.to_deadline FROM deadline_changes dc
                                 WHERE dc.initiative_id = i.id AND dc.changed_at < @EndUtc
                                 ORDER BY dc.changed_at DESC, dc.id DESC LIMIT 1), i.original_deadline) AS deadline,
                       COALESCE(c.status, 'planned') AS status,
                       COALESCE(c.progress, 0) AS progress,
                       COALESCE(c.health, 'on_track') AS health,
                       CASE WHEN c.status = 'done' THEN c.completed_on END AS completed_on,
                       c.reported_at AS last_check_in_at
                FROM initiatives i
                LEFT JOIN check_ins c ON c.id = (SELECT ci.id FROM check_ins ci
                                                 WHERE ci.initiative_id = i.id AND ci.reported_at < @EndUtc
                                                 ORDER BY ci.reported_at DESC, ci.id DESC LIMIT 1)
                WHERE i.created_at < @EndUtc AND {query.InitiativeFilters()}
            )
            """
        : $"""
            snapshot AS (
                SELECT i.id, i.direction_id, i.owner_id, i.task_force_id, i.title, i.original_deadline, i.created_at,
                       i.deadline, i.status, i.progress, i.health, i.completed_on, i.last_check_in_at
                FROM initiatives i
                WHERE {query.InitiativeFilters()}
            )
            """;

    public static readonly string Open = $"s.status IN {OpenStatuses.Sql}";

    /// <summary>
    /// The same rules as a stream of events, for reports that replay history once instead of asking for
    /// one snapshot per date (the trend): every check-in before <c>@Until</c> in the order the snapshot's
    /// "last one" reads them (reported_at, then id), so applying them in turn leaves each initiative with
    /// its last check-in's status, progress, health and, when done, its completion date. It reads the
    /// covering index <c>ix_check_ins_history</c> (migration 0010) alone.
    /// </summary>
    public const string CheckInHistory = """
        SELECT initiative_id AS InitiativeId, reported_at AS At, status AS Status, progress AS Progress,
               health AS Health, completed_on AS CompletedOn
        FROM check_ins WHERE reported_at < @Until ORDER BY reported_at, id
        """;

    /// <summary>Every deadline move before <c>@Until</c>, in the order (changed_at, then id) whose last one gives the snapshot's deadline.</summary>
    public const string DeadlineHistory = """
        SELECT initiative_id AS InitiativeId, changed_at AS At, to_deadline AS Deadline
        FROM deadline_changes WHERE changed_at < @Until ORDER BY changed_at, id
        """;
}
