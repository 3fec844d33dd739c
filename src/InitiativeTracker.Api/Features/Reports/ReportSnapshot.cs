using System.Globalization;
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
    /// <summary>
    /// The CTE (without WITH) for <paramref name="day"/>; parameters <c>@EndUtc</c> and the query's filters.
    /// Today's is the initiatives table itself, <c>NOT MATERIALIZED</c>: SQLite copies a CTE that a statement
    /// reads twice (the page grouped by task force) into a temporary table without its indexes.
    /// </summary>
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
            snapshot AS NOT MATERIALIZED (
                SELECT i.id, i.direction_id, i.owner_id, i.task_force_id, i.title, i.original_deadline, i.created_at,
                       i.deadline, i.status, i.progress, i.health, i.completed_on, i.last_check_in_at
                FROM initiatives i
                WHERE {query.InitiativeFilters()}
            )
            """;

    public static readonly string Open = $"s.status IN {OpenStatuses.Sql}";

    /// <summary>
    /// The same rules as a stream of events, for reports that replay history once instead of asking for
    /// one snapshot per date (the trend): the check-ins from <c>@After</c> to before <c>@Until</c> in the
    /// order the snapshot's "last one" reads them (reported_at, then id), so applying consecutive ranges in
    /// turn leaves each initiative with its last check-in's status, progress, health and, when done, its
    /// completion date. Two integer columns, the initiative id and its state as <see cref="PackedState"/>
    /// packs it, so a reader takes a row with two calls and no allocation. The range is a seek on
    /// <c>ix_check_ins_history</c>, which holds the packed state itself (migration 0016: its expression must
    /// stay the one this query computes), so the replay reads the index alone and computes nothing.
    /// </summary>
    public static readonly string CheckInHistory = $"""
        SELECT initiative_id, {PackedState("status", "health", "progress", "CASE WHEN status = 'done' THEN completed_on END", null)}
        FROM check_ins WHERE reported_at >= @After AND reported_at < @Until ORDER BY reported_at, id
        """;

    /// <summary>
    /// The deadline moves from <c>@After</c> to before <c>@Until</c>, in the order (changed_at, then id) whose
    /// last one gives the snapshot's deadline. Columns: initiative id, the new deadline as a day number, and
    /// whether it was made at or after <c>@Since</c> (1 or 0).
    /// </summary>
    public static readonly string DeadlineHistory = $"""
        SELECT initiative_id, {DayNumber("to_deadline")}, changed_at >= @Since
        FROM deadline_changes WHERE changed_at >= @After AND changed_at < @Until ORDER BY changed_at, id
        """;

    /// <summary>The bits of <see cref="PackedState"/>: status, health, progress, completion day number (0: none), deadline day number.</summary>
    public const int StatusBits = 3, HealthShift = 3, HealthBits = 2, ProgressShift = 5, ProgressBits = 7, CompletedShift = 12, CompletedBits = 20, DeadlineShift = 32;

    /// <summary>The status or health field of <see cref="PackedState"/> for a text the enum does not know.</summary>
    public const int UnknownStatus = (1 << StatusBits) - 1, UnknownHealth = (1 << HealthBits) - 1;

    /// <summary>
    /// An initiative's state as one integer (reading a column costs a .NET reader several times what SQLite
    /// takes to compute it): status and health as enum values (<see cref="UnknownStatus"/>,
    /// <see cref="UnknownHealth"/> for texts they do not know), progress (0–100), the completion date's
    /// day number (0 when none; dates are set by the server, so below 2^20, the year 2871) and, when
    /// <paramref name="deadline"/> is given, the deadline's day number above bit 32.
    /// </summary>
    public static string PackedState(string status, string health, string progress, string completedOn, string? deadline) =>
        $"({Ordinal<InitiativeStatus>(status, UnknownStatus)} | ({Ordinal<Health>(health, UnknownHealth)} << {HealthShift})"
        + $" | ({progress} << {ProgressShift}) | (COALESCE({DayNumber(completedOn)}, 0) << {CompletedShift})"
        + (deadline is null ? ")" : $" | ({DayNumber(deadline)} << {DeadlineShift}))");

    /// <summary>
    /// A stored date (yyyy-MM-dd) as its <see cref="DateOnly.DayNumber"/>: julianday gives the Julian day at
    /// midnight, n + 0.5, and 0001-01-01 is Julian day 1721425.5. Null stays null.
    /// </summary>
    public static string DayNumber(string column) => $"CAST(julianday({column}) - 1721425.5 AS INTEGER)";

    /// <summary>A stored enum text as its value (<c>CASE</c> over the enum's texts); any other text is <paramref name="unknown"/>.</summary>
    private static string Ordinal<T>(string column, int unknown)
        where T : struct, Enum =>
        $"CASE {column} {string.Join(" ", Enum.GetValues<T>().Select(v => $"WHEN '{v.ToText()}' THEN {Convert.ToInt32(v, CultureInfo.InvariantCulture)}"))} ELSE {unknown} END";
}
