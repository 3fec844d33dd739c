using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.Json.Serialization;
using Dapper;
using InitiativeTracker.Api.Features.Initiatives;
using InitiativeTracker.Api.Infrastructure.Database;

namespace InitiativeTracker.Api.Features.Reports;

/// <summary>How a report's rows, series or scorecard lines are grouped: the request's groupBy, one of these.</summary>
/// <remarks>
/// The request binds <c>groupBy</c> as text held to this type's names (<see cref="EnumText"/>); the answer
/// names it with this type; the document gives both as this one schema.
/// </remarks>
internal enum ReportGroupBy
{
    Owner,

    [JsonStringEnumMemberName(ReportGrouping.TaskForce)]
    TaskForce,

    Direction,
}

/// <summary>How row reports may be grouped; rows then come ordered by group first.</summary>
internal static class ReportGrouping
{
    public const string Owner = "owner";
    public const string TaskForce = "taskForce";
    public const string Direction = "direction";

    /// <summary>The grouping a validated <c>groupBy</c> names; null for none.</summary>
    public static ReportGroupBy? Of(string? groupBy) => groupBy is null ? null : EnumText.Parse<ReportGroupBy>(groupBy);

    /// <summary>The group's id and name over the report joins (o = owners, t = task forces, d = directions).</summary>
    public static (string Id, string Name, string Order) Columns(string? groupBy) => groupBy switch
    {
        Owner => ("s.owner_id", "o.name", "o.name COLLATE NOCASE, s.owner_id"),
        TaskForce => ("s.task_force_id", $"COALESCE(t.name, '{NoTaskForce}')", "t.name IS NULL, t.name COLLATE NOCASE, s.task_force_id"),
        Direction => ("s.direction_id", "d.title", "d.meeting_id, d.number, s.direction_id"),
        _ => throw new ArgumentOutOfRangeException(nameof(groupBy), groupBy, "Unknown grouping."),
    };

    /// <summary>The initiatives column that names an initiative's group (alias <c>i</c>).</summary>
    public static string InitiativeColumn(string groupBy) => groupBy switch
    {
        Owner => "i.owner_id",
        TaskForce => "i.task_force_id",
        Direction => "i.direction_id",
        _ => throw new ArgumentOutOfRangeException(nameof(groupBy), groupBy, "Unknown grouping."),
    };

    /// <summary>
    /// Every group there is, as <c>GroupId</c>, <c>GroupName</c>, in the order of <see cref="Columns"/>
    /// (initiatives without a task force last, as one group with a null id).
    /// </summary>
    public static string AllGroups(string groupBy) => groupBy switch
    {
        Owner => "SELECT o.id AS GroupId, o.name AS GroupName FROM owners o ORDER BY o.name COLLATE NOCASE, o.id",
        TaskForce => "SELECT t.id AS GroupId, t.name AS GroupName FROM task_forces t ORDER BY t.name COLLATE NOCASE, t.id",
        Direction => "SELECT d.id AS GroupId, d.title AS GroupName FROM directions d ORDER BY d.meeting_id, d.number, d.id",
        _ => throw new ArgumentOutOfRangeException(nameof(groupBy), groupBy, "Unknown grouping."),
    };

    /// <summary>The name of the group of initiatives without a task force.</summary>
    public const string NoTaskForce = "(no task force)";
}

/// <summary>
/// One group of a grouped row report. Settable properties rather than a positional record: over an
/// empty result SQLite reports computed columns as BLOB, and Dapper matches constructors by type.
/// </summary>
internal sealed record ReportGroup
{
    public long? GroupId { get; init; }
    public required string GroupName { get; init; }
    public long Count { get; init; }
}

/// <summary>
/// The query behind the overdue and upcoming reports: open initiatives of the snapshot whose deadline
/// matches <c>condition</c>, joined to their direction, owner and task force, in deadline order, or by
/// group and then deadline order.
/// </summary>
internal static class DeadlineReportRows
{
    /// <summary>
    /// The unary <c>+</c> keeps SQLite from reaching the initiatives through a direction, owner or task
    /// force index (with misleading statistics it walked a direction's 33,000 initiatives and sorted them):
    /// the initiatives come first, from <c>ix_initiatives_open_deadline</c> in deadline order, so a page
    /// stops after its rows; an owner, direction or task force filter still uses its index in the snapshot.
    /// </summary>
    private const string Joins = """
        FROM snapshot s
        JOIN directions d ON d.id = +s.direction_id
        JOIN owners o ON o.id = +s.owner_id
        LEFT JOIN task_forces t ON t.id = +s.task_force_id
        """;

    public sealed record Result(long TotalCount, IReadOnlyList<Data> Rows, IReadOnlyList<ReportGroup>? Groups);

    /// <summary>
    /// A page of rows and the total. <paramref name="condition"/> names only <c>s.deadline</c> unless
    /// <paramref name="deadlineOnly"/> is false (the stale rows), when the total is counted over the rows
    /// rather than summed from <c>open_deadline_counts</c>; such a condition takes no grouping.
    /// </summary>
    public static async Task<Result> QueryAsync(
        Db db, ReportQuery query, ReportDay day, string condition, string? groupBy, int size, long offset, object extra, CancellationToken ct,
        bool deadlineOnly = true)
    {
        var sql = $"""
            {Count(query, day, condition, deadlineOnly)}
            {Rows(query, day, condition, groupBy)} LIMIT @Size OFFSET @Offset;
            """;
        var parameters = Parameters(query, day, extra, size, offset);
        var commits = db.Commits;
        var groupCounts = groupBy is null ? null : GroupCounts(query, day, condition, groupBy);
        var groupKey = groupCounts is null ? null : GroupCountCache.Key(groupCounts, query, day, extra);
        var groups = groupKey is null ? null : GroupCountCache.For(db).Find(groupKey, commits);
        if (groupCounts is not null && groups is null)
        {
            sql += "\n" + groupCounts;
        }

        await using var connection = await db.OpenAsync(ct);
        using var results = await connection.QueryMultipleAsync(new CommandDefinition(sql, parameters, cancellationToken: ct));
        var total = await results.ReadSingleAsync<long>();
        var rows = (await results.ReadAsync<Data>()).AsList();
        if (groupKey is not null && groups is null)
        {
            groups = (await results.ReadAsync<ReportGroup>()).AsList();
            GroupCountCache.For(db).Keep(groupKey, commits, groups);
        }

        return new Result(total, rows, groups);
    }

    /// <summary>
    /// Each grouped page carries the count of every group: 2,000 owners at 100,000 initiatives, which cost
    /// more to count (about 10 ms) and to hold than the page's rows. Counts read while <see cref="Db.Commits"/>
    /// had a value are kept, and served while it keeps that value, so a later write is always seen. Per
    /// database (tests run several in one process); at most <see cref="MaxEntries"/> queries are kept.
    /// </summary>
    private sealed class GroupCountCache
    {
        private const int MaxEntries = 32;

        private static readonly ConditionalWeakTable<Db, GroupCountCache> s_perDatabase = [];

        private readonly ConcurrentDictionary<string, (long Commits, List<ReportGroup> Groups)> _entries = new(StringComparer.Ordinal);

        public static GroupCountCache For(Db db) => s_perDatabase.GetOrCreateValue(db);

        /// <summary>The statement and every value its parameters can take.</summary>
        public static string Key(string sql, ReportQuery query, ReportDay day, object extra) => string.Join('\n',
            sql, day.Today.DayNumber, day.EndUtc, query.DirectionId, query.OwnerId, query.TaskForceId, extra);

        /// <summary>The counts kept for <paramref name="key"/> if no write has committed since they were read.</summary>
        public List<ReportGroup>? Find(string key, long commits) =>
            _entries.TryGetValue(key, out var entry) && entry.Commits == commits ? entry.Groups : null;

        /// <summary>Keeps counts read after <see cref="Db.Commits"/> was <paramref name="commits"/>.</summary>
        public void Keep(string key, long commits, List<ReportGroup> groups)
        {
            if (_entries.Count >= MaxEntries)
            {
                _entries.Clear();
            }

            _entries[key] = (commits, groups);
        }
    }

    /// <summary>
    /// Every row, in report order, as SQLite produces it: a CSV of the whole report is written while it
    /// is read, and never sits in memory. The connection lives as long as the enumeration.
    /// </summary>
    public static async IAsyncEnumerable<Data> StreamAsync(
        Db db, ReportQuery query, ReportDay day, string condition, string? groupBy, object extra, [EnumeratorCancellation] CancellationToken ct)
    {
        var sql = Rows(query, day, condition, groupBy) + ";";
        await using var connection = await db.OpenAsync(ct);
        await foreach (var row in connection.QueryUnbufferedAsync<Data>(sql, Parameters(query, day, extra, 0, 0)).WithCancellation(ct))
        {
            yield return row;
        }
    }

    /// <summary>
    /// The rows in report order (a statement without <c>LIMIT</c>). Ungrouped, the initiatives come first
    /// (<see cref="Joins"/>). Grouped, today's rows without an owner or task force filter come from a walk
    /// of the groups in report order, each group's open initiatives in deadline order through its
    /// (group, deadline) index (migration 0012), so a page stops after its rows instead of sorting every
    /// matching row; <c>CROSS JOIN</c> is how SQLite is told to keep the groups' table as the outer loop,
    /// and <c>INDEXED BY</c> the name index that gives their order (a file analyzed before migration 0012 has
    /// statistics for the task forces' other index and none for this one, and SQLite scanned that one and
    /// sorted: 65 ms instead of 1 ms at 100,000 initiatives).
    /// A past day's snapshot is rebuilt from history (no index holds its deadlines or statuses), and an
    /// owner's or task force's initiatives are few: those are read and sorted as the ungrouped ones.
    /// </summary>
    internal static string Rows(ReportQuery query, ReportDay day, string condition, string? groupBy)
    {
        var cte = ReportSnapshot.Cte(day, query);
        var where = Where(condition);
        if (groupBy is null || !query.IsTodayAcrossOwners(day))
        {
            return $"WITH {cte} SELECT {Columns()} {Joins} {where} ORDER BY {Order(groupBy)}";
        }

        return groupBy switch
        {
            ReportGrouping.Direction => $"""
                WITH {cte}
                SELECT {Columns()}
                FROM directions d
                CROSS JOIN snapshot s ON s.direction_id = d.id
                JOIN owners o ON o.id = +s.owner_id
                LEFT JOIN task_forces t ON t.id = +s.task_force_id
                {where}
                ORDER BY d.meeting_id, d.number, d.id, s.deadline, s.id
                """,
            ReportGrouping.Owner => $"""
                WITH {cte}
                SELECT {Columns()}
                FROM owners o INDEXED BY ix_owners_name
                CROSS JOIN snapshot s ON s.owner_id = o.id
                JOIN directions d ON d.id = +s.direction_id
                LEFT JOIN task_forces t ON t.id = +s.task_force_id
                {where}
                ORDER BY o.name COLLATE NOCASE, o.id, s.deadline, s.id
                """,
            // Initiatives without a task force come last: the task forces' walk, then the rows whose
            // task_force_id IS NULL (the same index), merged by SQLite in the compound's order. Every ORDER BY
            // term is an indexed or equality-bound column in both arms (a constant or an expression would make
            // SQLite sort each arm): TaskForceName is s.task_force_id, NULL, in the second, and NULLS LAST puts it last.
            ReportGrouping.TaskForce => $"""
                WITH {cte}
                SELECT {Columns("t.id", "t.name")}
                FROM task_forces t INDEXED BY ix_task_forces_name
                CROSS JOIN snapshot s ON s.task_force_id = t.id
                JOIN directions d ON d.id = +s.direction_id
                JOIN owners o ON o.id = +s.owner_id
                {where}
                UNION ALL
                SELECT {Columns("s.task_force_id", "s.task_force_id")}
                FROM snapshot s
                JOIN directions d ON d.id = +s.direction_id
                JOIN owners o ON o.id = +s.owner_id
                {where} AND s.task_force_id IS NULL
                ORDER BY TaskForceName COLLATE NOCASE NULLS LAST, TaskForceId, Deadline, InitiativeId
                """,
            _ => throw new ArgumentOutOfRangeException(nameof(groupBy), groupBy, "Unknown grouping."),
        };
    }

    /// <summary>
    /// One count per group, in group order. Today's by direction, without an owner or task force filter,
    /// is a sum over <c>open_deadline_counts</c> like <see cref="Count"/>. Otherwise the matching rows are
    /// counted, joined to the group's own table only (directions and owners are required references), so
    /// the count reads the group's (group, deadline) index alone: about 7 ms at 100,000 initiatives.
    /// </summary>
    internal static string GroupCounts(ReportQuery query, ReportDay day, string condition, string groupBy)
    {
        var group = ReportGrouping.Columns(groupBy);
        if (groupBy == ReportGrouping.Direction && query.IsTodayAcrossOwners(day))
        {
            return $"""
                SELECT s.direction_id AS GroupId, d.title AS GroupName, SUM(s.n) AS Count
                FROM open_deadline_counts s JOIN directions d ON d.id = s.direction_id
                {OpenDeadlineCountsWhere(query, condition)}
                GROUP BY s.direction_id ORDER BY {group.Order};
                """;
        }

        if (groupBy == ReportGrouping.Owner && query.IsTodayAcrossOwners(day))
        {
            // Owners in id order, each owner's entries of ix_initiatives_open_owner_deadline counted alone, so
            // GROUP BY needs no sort (left to itself SQLite walked ix_owners_name and sorted the groups twice).
            return $"""
                WITH {ReportSnapshot.Cte(day, query)}
                SELECT o.id AS GroupId, o.name AS GroupName, COUNT(*) AS Count
                FROM owners o NOT INDEXED CROSS JOIN snapshot s ON s.owner_id = o.id {Where(condition)}
                GROUP BY o.id ORDER BY o.name COLLATE NOCASE, o.id;
                """;
        }

        var join = groupBy switch
        {
            ReportGrouping.Direction => "JOIN directions d ON d.id = s.direction_id",
            ReportGrouping.Owner => "JOIN owners o ON o.id = s.owner_id",
            ReportGrouping.TaskForce => "LEFT JOIN task_forces t ON t.id = s.task_force_id",
            _ => throw new ArgumentOutOfRangeException(nameof(groupBy), groupBy, "Unknown grouping."),
        };
        return $"""
            WITH {ReportSnapshot.Cte(day, query)}
            SELECT {group.Id} AS GroupId, {group.Name} AS GroupName, COUNT(*) AS Count
            FROM snapshot s {join} {Where(condition)} GROUP BY {group.Id} ORDER BY {group.Order};
            """;
    }

    /// <summary>
    /// The total over all pages. Today's, unfiltered or by direction, is a sum over
    /// <c>open_deadline_counts</c> (at most directions × days rows, kept by triggers), so a page costs the
    /// same at 20,000 initiatives as at 100,000; <paramref name="condition"/> names only <c>s.deadline</c>.
    /// An owner's or a task force's initiatives are few enough to count, and a past day is rebuilt from history.
    /// </summary>
    private static string Count(ReportQuery query, ReportDay day, string condition, bool deadlineOnly) =>
        deadlineOnly && query.IsTodayAcrossOwners(day)
            ? $"SELECT COALESCE(SUM(s.n), 0) FROM open_deadline_counts s {OpenDeadlineCountsWhere(query, condition)};"
            : $"WITH {ReportSnapshot.Cte(day, query)} SELECT COUNT(*) FROM snapshot s {Where(condition)};";

    /// <summary>The deadline condition, and the direction filter if any, over <c>open_deadline_counts s</c>.</summary>
    private static string OpenDeadlineCountsWhere(ReportQuery query, string condition) =>
        $"WHERE {condition}{(query.DirectionId is null ? "" : " AND s.direction_id = @DirectionId")}";

    /// <summary>The columns of <see cref="Data"/>; the task force's id and name are the caller's (the grouped walk reads them from <c>t</c>).</summary>
    private static string Columns(string taskForceId = "s.task_force_id", string taskForceName = "t.name") => $"""
        s.id AS InitiativeId, s.title AS Title,
        s.direction_id AS DirectionId, d.number AS DirectionNumber, d.title AS DirectionTitle,
        s.owner_id AS OwnerId, o.name AS OwnerName, o.email AS OwnerEmail,
        {taskForceId} AS TaskForceId, {taskForceName} AS TaskForceName,
        s.deadline AS Deadline, s.progress AS Progress, s.status AS Status, s.health AS Health,
        s.last_check_in_at AS LastCheckInAt
        """;

    private static string Where(string condition) => $"WHERE {ReportSnapshot.Open} AND {condition}";

    private static string Order(string? groupBy) =>
        groupBy is null ? "s.deadline ASC, s.id ASC" : $"{ReportGrouping.Columns(groupBy).Order}, s.deadline ASC, s.id ASC";

    private static DynamicParameters Parameters(ReportQuery query, ReportDay day, object extra, int size, long offset)
    {
        var parameters = new DynamicParameters(extra);
        parameters.AddDynamicParams(new
        {
            query.DirectionId,
            query.OwnerId,
            query.TaskForceId,
            day.EndUtc,
            Today = day.Today,
            Size = size,
            Offset = offset,
        });
        return parameters;
    }

    /// <summary>A row as read; the reports turn it into their own row type.</summary>
    internal sealed record Data
    {
        public long InitiativeId { get; init; }
        public required string Title { get; init; }
        public long DirectionId { get; init; }
        public int DirectionNumber { get; init; }
        public required string DirectionTitle { get; init; }
        public long OwnerId { get; init; }
        public required string OwnerName { get; init; }
        public string? OwnerEmail { get; init; }
        public long? TaskForceId { get; init; }
        public string? TaskForceName { get; init; }
        public DateOnly Deadline { get; init; }
        public int Progress { get; init; }
        public required string Status { get; init; }
        public required string Health { get; init; }
        public DateTime? LastCheckInAt { get; init; }

        public InitiativeStatus StatusValue => EnumText.Parse<InitiativeStatus>(Status);

        public Health HealthValue => EnumText.Parse<Health>(Health);

        public int? DaysSinceLastCheckIn(ReportDay day) =>
            LastCheckInAt is { } at ? day.Today.DayNumber - day.DateOf(at).DayNumber : null;
    }
}
