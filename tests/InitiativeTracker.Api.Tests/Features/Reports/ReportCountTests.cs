using System.Net;
using System.Net.Http.Json;
using Dapper;
using InitiativeTracker.Api.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace InitiativeTracker.Api.Tests.Features.Reports;

/// <summary>
/// Today's overdue and upcoming totals are read from <c>open_deadline_counts</c>, and today's progress
/// report from <c>direction_tallies</c>, which triggers keep in step with the initiatives. After every kind
/// of write that can move an initiative in or out of those totals, each table equals a count over the
/// initiatives, and the reports' totals equal the list's. The grouped reports' group counts (kept between
/// writes, see DeadlineReportRows) equal the list's too, so a count kept from before a write would fail.
/// </summary>
public sealed class ReportCountTests(TrackerFactory factory) : IClassFixture<TrackerFactory>
{
    private readonly HttpClient _client = factory.Admin();

    [Fact]
    public async Task TotalsFollowEveryWriteThatOpensClosesMovesOrRemovesAnInitiative()
    {
        var owner = await _client.IdOfAsync("/api/v1/owners", new { name = "Count owner" });
        var second = await _client.IdOfAsync("/api/v1/directions", new { meetingId = 1, number = 41, title = "Counted direction" });
        var late = await NewAsync(owner, 1, "2026-02-01");
        var lateToo = await NewAsync(owner, second, "2026-02-01");
        var soon = await NewAsync(owner, 1, "2026-03-15");
        var later = await NewAsync(owner, second, "2026-09-30");
        await AssertTotalsAsync(owner, second);

        await CheckInAsync(late, "in_progress", 40);
        await CheckInAsync(lateToo, "in_progress", 60);
        await CheckInAsync(lateToo, "done", 100);
        await AssertTotalsAsync(owner, second);

        await CheckInAsync(lateToo, "in_progress", 90, "at_risk");
        await CheckInAsync(soon, "cancelled", 0);
        await CheckInAsync(later, "blocked", 30, "off_track");
        await AssertTotalsAsync(owner, second);

        (await _client.PutAsJsonAsync($"/api/v1/initiatives/{later}/deadline", new { deadline = "2026-03-12", reason = "Pulled forward" }))
            .StatusCode.Should().Be(HttpStatusCode.OK);
        (await _client.PatchMergeAsync($"/api/v1/initiatives/{late}", $$"""{"directionId":{{second}}}""", await ETagAsync(late)))
            .StatusCode.Should().Be(HttpStatusCode.OK);
        await AssertTotalsAsync(owner, second);

        (await _client.SendJsonAsync(HttpMethod.Delete, $"/api/v1/initiatives/{lateToo}", null, ifMatch: await ETagAsync(lateToo)))
            .StatusCode.Should().Be(HttpStatusCode.NoContent);
        await AssertTotalsAsync(owner, second);
    }

    private async Task AssertTotalsAsync(long owner, long direction)
    {
        await using var connection = new SqliteConnection($"Data Source={factory.DatabaseFile};Pooling=False");
        var kept = await connection.QueryAsync<(long, string, long)>(
            "SELECT direction_id, deadline, n FROM open_deadline_counts ORDER BY 1, 2");
        var counted = await connection.QueryAsync<(long, string, long)>("""
            SELECT direction_id, deadline, COUNT(*) FROM initiatives
            WHERE status IN ('planned', 'in_progress', 'blocked') GROUP BY direction_id, deadline ORDER BY 1, 2
            """);
        kept.Should().Equal(counted, "the triggers keep the counts exact");
        var tallied = await connection.QueryAsync<(long, string, string, long, long, long)>(
            "SELECT direction_id, status, health, n, progress_sum, on_time FROM direction_tallies ORDER BY 1, 2, 3");
        var tallies = await connection.QueryAsync<(long, string, string, long, long, long)>("""
            SELECT direction_id, status, health, COUNT(*), SUM(progress), COUNT(CASE WHEN status = 'done' AND completed_on <= deadline THEN 1 END)
            FROM initiatives GROUP BY direction_id, status, health ORDER BY 1, 2, 3
            """);
        tallied.Should().Equal(tallies, "the triggers keep the tallies exact");

        var progress = await (await _client.GetAsync("/api/v1/reports/progress")).ShouldBe(HttpStatusCode.OK);
        progress["overall"]!["total"]!.GetValue<long>().Should().Be(await TotalAsync("/api/v1/initiatives"));
        progress["overall"]!["overdue"]!.GetValue<long>().Should().Be(await TotalAsync("/api/v1/initiatives?overdue=true"));
        var row = progress["directions"]!.AsArray().Single(d => d!["directionId"]!.GetValue<long>() == direction)!;
        row["total"]!.GetValue<long>().Should().Be(await TotalAsync($"/api/v1/initiatives?directionId={direction}"));
        row["done"]!.GetValue<long>().Should().Be(await TotalAsync($"/api/v1/initiatives?directionId={direction}&status=done"));
        row["atRisk"]!.GetValue<long>().Should().Be(await TotalAsync($"/api/v1/initiatives?directionId={direction}&health=at_risk&status=planned&status=in_progress&status=blocked"));

        foreach (var filter in new[] { "", $"directionId={direction}" })
        {
            var overdue = await TotalAsync($"/api/v1/reports/overdue?{filter}");
            overdue.Should().Be(await TotalAsync($"/api/v1/initiatives?overdue=true&{filter}"));
            var upcoming = await TotalAsync($"/api/v1/reports/upcoming?withinDays=30&{filter}");
            upcoming.Should().Be(await TotalAsync($"/api/v1/initiatives?status=planned&status=in_progress&status=blocked&dueAfter=2026-03-09&dueBefore=2026-04-10&{filter}"));
        }

        foreach (var groupBy in new[] { "owner", "taskForce", "direction" })
        {
            var grouped = await (await _client.GetAsync($"/api/v1/reports/overdue?groupBy={groupBy}")).ShouldBe(HttpStatusCode.OK);
            grouped["groups"]!.AsArray().Sum(g => g!["count"]!.GetValue<long>()).Should().Be(grouped["totalCount"]!.GetValue<long>(), groupBy);
        }

        (await GroupCountAsync("/api/v1/reports/overdue?groupBy=owner", owner))
            .Should().Be(await TotalAsync($"/api/v1/initiatives?overdue=true&ownerId={owner}"));
        (await GroupCountAsync("/api/v1/reports/overdue?groupBy=direction", direction))
            .Should().Be(await TotalAsync($"/api/v1/initiatives?overdue=true&directionId={direction}"));
        (await GroupCountAsync("/api/v1/reports/upcoming?withinDays=30&groupBy=owner", owner))
            .Should().Be(await TotalAsync($"/api/v1/initiatives?status=planned&status=in_progress&status=blocked&dueAfter=2026-03-09&dueBefore=2026-04-10&ownerId={owner}"));
    }

    /// <summary>The count of one group of a grouped report; a group without rows is not listed.</summary>
    private async Task<long> GroupCountAsync(string url, long groupId) =>
        (await (await _client.GetAsync(url)).ShouldBe(HttpStatusCode.OK))["groups"]!.AsArray()
            .SingleOrDefault(g => g!["groupId"]!.GetValue<long>() == groupId)?["count"]!.GetValue<long>() ?? 0;

    private async Task<long> TotalAsync(string url) => (await (await _client.GetAsync(url)).ShouldBe(HttpStatusCode.OK))["totalCount"]!.GetValue<long>();

    private async Task<long> NewAsync(long owner, long direction, string deadline) =>
        await _client.IdOfAsync("/api/v1/initiatives", new { directionId = direction, ownerId = owner, title = $"Counted {Guid.NewGuid():N}", deadline });

    private async Task CheckInAsync(long initiative, string status, int progress, string health = "on_track") =>
        (await _client.PostAsJsonAsync($"/api/v1/initiatives/{initiative}/check-ins", new { progress, status, health, note = "Counted" }))
            .StatusCode.Should().Be(HttpStatusCode.Created);

    private async Task<string> ETagAsync(long initiative) =>
        (await _client.GetAsync($"/api/v1/initiatives/{initiative}")).Headers.ETag!.Tag;
}
