using Dapper;
using InitiativeTracker.Api.Features.Initiatives;
using InitiativeTracker.Api.Features.Reports;
using InitiativeTracker.Api.Infrastructure.Http;
using InitiativeTracker.Api.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace InitiativeTracker.Api.Tests.Features.Reports;

/// <summary>
/// What the plans of the report and list pages read, from <c>EXPLAIN QUERY PLAN</c> of the statements the
/// service builds, on a migrated file of 3,000 initiatives, first without statistics, then after
/// <c>ANALYZE</c> (SQLite plans differently with them). Not timed: a plan that sorts in a temporary B-tree
/// must read every matching row before it can return the first, so its cost grows with the backlog.
/// <list type="bullet">
/// <item>Today's overdue and upcoming pages in deadline order, with or without a filter, and grouped,
/// unfiltered or by direction, come in page order from an index (the open initiatives' by deadline, or by
/// group and deadline) and stop after the page.</item>
/// <item>Grouped and filtered by owner or task force, they read that owner's or task force's open
/// initiatives through its index and sort those (a few dozen), as designed. No plan walks the table.</item>
/// <item>The initiative list's default order (deadline, then id) comes from the deadline index.</item>
/// <item>The trend's check-in replay reads <c>ix_check_ins_history</c> alone (migration 0016 stores the
/// packed state its query computes).</item>
/// </list>
/// </summary>
public sealed class QueryPlanTests(TrackerFactory factory, ITestOutputHelper output) : IClassFixture<TrackerFactory>
{
    private const int Owners = 40, TaskForces = 8, Initiatives = 3_000, CheckIns = 6_000;

    private static readonly ReportDay Today = new(new DateOnly(2026, 3, 10), TimeZoneInfo.Utc, false, "2026-03-11T00:00:00Z");

    private static readonly string?[] Groupings = [null, ReportGrouping.Direction, ReportGrouping.Owner, ReportGrouping.TaskForce];

    [Fact]
    public async Task PagesComeFromAnIndexInTheirOrderWithAndWithoutStatistics()
    {
        var (owner, taskForce) = await SeedAsync();
        await using var connection = new SqliteConnection($"Data Source={factory.DatabaseFile};Pooling=False");
        await connection.OpenAsync();

        foreach (var statistics in new[] { false, true })
        {
            if (statistics)
            {
                await connection.ExecuteAsync("ANALYZE;");
            }

            ReportScope[] scopes = [new(), new() { DirectionId = 2 }, new() { OwnerId = owner }, new() { TaskForceId = taskForce }];
            foreach (var (name, condition, query) in scopes.SelectMany(Reports))
            {
                foreach (var groupBy in Groupings)
                {
                    var plan = await PlanAsync(connection, DeadlineReportRows.Rows(query, Today, condition, groupBy) + " LIMIT 100");
                    var because = $"{name} grouped by {groupBy ?? "nothing"}, statistics: {statistics}";
                    plan.Should().NotMatchRegex(@"SCAN (i|initiatives)\b", because);
                    if (groupBy is not null && (query.OwnerId ?? query.TaskForceId) is not null)
                    {
                        plan.Should().MatchRegex(@"SEARCH i USING INDEX \w+ \((owner_id|task_force_id)=\?", because);
                    }
                    else
                    {
                        plan.Should().NotContain("TEMP B-TREE", because);
                    }
                }
            }

            var list = new ListInitiativesQuery();
            (await PlanAsync(connection, PagedQuery.PageSql(InitiativeRow.Columns, $"initiatives {ListInitiativesHandler.Filters(list)}",
                ListInitiativesQuery.Sortable.OrderBy(null)), new { list.Size, list.Offset }))
                .Should().NotContain("TEMP B-TREE", $"the list in its default order, statistics: {statistics}");

            (await PlanAsync(connection, ReportSnapshot.CheckInHistory))
                .Should().Contain("USING COVERING INDEX ix_check_ins_history", $"the trend's replay, statistics: {statistics}");
        }
    }

    /// <summary>The overdue and upcoming reports over <paramref name="scope"/>: a name, the deadline condition and the query.</summary>
    private static IEnumerable<(string Name, string Condition, RowReportQuery Query)> Reports(ReportScope scope) =>
    [
        ($"overdue {scope}", OverdueReportHandler.PastDeadline, new OverdueReportQuery { Scope = scope }),
        ($"upcoming {scope}", UpcomingReportHandler.DueWithin, new UpcomingReportQuery { Scope = scope, WithinDays = 30 }),
    ];

    private async Task<string> PlanAsync(SqliteConnection connection, string sql, object? parameters = null)
    {
        var rows = await connection.QueryAsync<(long Id, long Parent, long NotUsed, string Detail)>("EXPLAIN QUERY PLAN " + sql, parameters);
        var plan = string.Join("\n", rows.Select(r => r.Detail));
        output.WriteLine(plan + "\n");
        return plan;
    }

    /// <summary>
    /// Owners and task forces through the API; then initiatives (deadlines over 400 days around today, every
    /// status) and check-ins straight into the file, as a year of use would leave them. Returns an owner and a task force.
    /// </summary>
    private async Task<(long Owner, long TaskForce)> SeedAsync()
    {
        var client = factory.Admin();
        var owners = new List<long>();
        for (var n = 0; n < Owners; n++)
        {
            owners.Add(await client.IdOfAsync("/api/v1/owners", new { name = $"Planned owner {n}" }));
        }

        var taskForces = new List<long>();
        for (var n = 0; n < TaskForces; n++)
        {
            taskForces.Add(await client.IdOfAsync("/api/v1/task-forces", new { name = $"Planned task force {n}", leadId = owners[n] }));
        }

        await using var connection = new SqliteConnection($"Data Source={factory.DatabaseFile};Pooling=False");
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        for (var n = 0; n < Initiatives; n++)
        {
            var status = (n % 5) switch { 0 => "planned", 1 => "in_progress", 2 => "blocked", 3 => "done", _ => "cancelled" };
            var deadline = new DateOnly(2025, 9, 1).AddDays(n % 400).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            await connection.ExecuteAsync("""
                INSERT INTO initiatives (direction_id, owner_id, task_force_id, title, deadline, original_deadline, status, progress,
                                         completed_on, created_at, updated_at)
                VALUES (@Direction, @Owner, @TaskForce, @Title, @Deadline, @Deadline, @Status, @Progress,
                        CASE WHEN @Status = 'done' THEN @Deadline END, '2025-06-01T00:00:00Z', '2025-06-01T00:00:00Z')
                """,
                new
                {
                    Direction = 1 + (n % 3),
                    Owner = owners[n % Owners],
                    TaskForce = n % 4 == 0 ? (long?)null : taskForces[n % TaskForces],
                    Title = $"Planned {n}",
                    Deadline = deadline,
                    Status = status,
                    Progress = n % 101,
                },
                transaction);
        }

        await connection.ExecuteAsync($"""
            WITH RECURSIVE n(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM n WHERE k + 1 < {CheckIns})
            INSERT INTO check_ins (initiative_id, progress, status, previous_status, health, reported_by, reported_at)
            SELECT (SELECT MIN(id) FROM initiatives) + k % {Initiatives}, k % 101, 'in_progress', 'planned', 'on_track', 'planner',
                   strftime('%Y-%m-%dT%H:%M:%SZ', '2025-06-01', '+' || (k * 97 % 86400 * 3) || ' seconds')
            FROM n
            """, transaction: transaction);
        await transaction.CommitAsync();
        return (owners[7], taskForces[3]);
    }
}
