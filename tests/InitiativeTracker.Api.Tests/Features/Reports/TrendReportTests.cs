using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using InitiativeTracker.Api.Tests.Infrastructure;

namespace InitiativeTracker.Api.Tests.Features.Reports;

public sealed class TrendReportTests(TrendScenario scenario) : IClassFixture<TrendScenario>
{
    private static readonly string[] s_snapshotFields =
        ["total", "planned", "inProgress", "blocked", "done", "cancelled", "meanProgress", "overdue", "atRisk", "offTrack", "onTimeRate"];

    private static readonly TimeSpan s_shanghai = TimeSpan.FromHours(8);

    private readonly HttpClient _client = scenario.Admin();

    [Fact]
    public async Task TheGeneratedHistoryHasEveryKindOfEvent()
    {
        (await scenario.ScalarAsync<long>("SELECT COUNT(*) FROM deadline_changes")).Should().BeGreaterThan(5);
        (await scenario.ScalarAsync<long>("SELECT COUNT(*) FROM check_ins WHERE status = 'done'")).Should().BeGreaterThan(3);
        (await scenario.ScalarAsync<long>("SELECT COUNT(*) FROM check_ins WHERE status = 'cancelled'")).Should().BeGreaterThan(0);
        (await scenario.ScalarAsync<long>("SELECT COUNT(*) FROM check_ins WHERE previous_status = 'done'")).Should().BeGreaterThan(0, "some are reopened");
        (await scenario.ScalarAsync<long>("SELECT COUNT(*) FROM check_ins WHERE status = 'blocked'")).Should().BeGreaterThan(0);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    public async Task EveryPointEqualsTheProgressReportAsOfItsDate(int seed)
    {
        var random = new Random(seed);
        for (var round = 0; round < 3; round++)
        {
            var to = new DateOnly(2026, 3, 5).AddDays(random.Next(0, 98));
            var interval = new[] { "day", "week", "month" }[random.Next(3)];
            var from = interval switch
            {
                "day" => to.AddDays(-random.Next(0, 10)),
                "week" => to.AddDays(-random.Next(0, 50)),
                _ => to.AddDays(-random.Next(0, 95)),
            };
            var groupBy = new[] { null, "direction", "owner", "taskForce" }[random.Next(4)];
            var filters = new Dictionary<string, long>();
            switch (random.Next(5))
            {
                case 0:
                    filters["directionId"] = random.Next(1, 4);
                    break;
                case 1:
                    filters["ownerId"] = scenario.Owners[random.Next(scenario.Owners.Count)];
                    break;
                case 2:
                    filters["taskForceId"] = scenario.TaskForces[random.Next(scenario.TaskForces.Count)];
                    break;
            }

            await CheckTrend(from, to, interval, groupBy, filters);
        }
    }

    [Fact]
    public async Task PointsAreThePeriodsLastDaysAndEndAtTo()
    {
        var weeks = await Get("/api/v1/reports/trend?from=2026-03-11&to=2026-04-01&interval=week");
        Dates(weeks).Should().Equal("2026-03-15", "2026-03-22", "2026-03-29", "2026-04-01");

        var months = await Get("/api/v1/reports/trend?from=2026-01-31&to=2026-03-31&interval=month");
        Dates(months).Should().Equal("2026-01-31", "2026-02-28", "2026-03-31");

        var days = await Get("/api/v1/reports/trend?from=2026-03-30&to=2026-04-01&interval=day");
        Dates(days).Should().Equal("2026-03-30", "2026-03-31", "2026-04-01");
    }

    [Fact]
    public async Task DefaultsToTwelveWeeksUpToTodayByWeek()
    {
        var report = await Get("/api/v1/reports/trend");

        report["to"]!.GetValue<string>().Should().Be("2026-05-19", "it is already May 19 in Asia/Shanghai");
        report["from"]!.GetValue<string>().Should().Be("2026-02-24");
        report["interval"]!.GetValue<string>().Should().Be("week");
        report["timeZone"]!.GetValue<string>().Should().Be("Asia/Shanghai");
        report["groupBy"].Should().BeNull();
        var series = report["series"]!.AsArray();
        series.Should().HaveCount(1);
        series[0]!["groupName"]!.GetValue<string>().Should().Be("all");
        Dates(report).Should().HaveCount(13).And.StartWith("2026-03-01").And.EndWith("2026-05-19");
        var utc = Dates(await Get("/api/v1/reports/trend?tz=Etc/UTC"));
        utc[^1].Should().Be("2026-05-18", "in UTC it is still May 18");
    }

    [Theory]
    [InlineData("from=2025-01-01&to=2026-03-01&interval=day", "from")]
    [InlineData("from=2026-03-01&to=2026-02-28", "from")]
    [InlineData("from=2026-06-01", "from")]
    [InlineData("from=1990-01-01&interval=week", "from")]
    [InlineData("interval=year", "interval")]
    [InlineData("groupBy=city", "groupBy")]
    [InlineData("asOf=2026-03-01", "asOf")]
    [InlineData("to=2026-02-30", "to")]
    [InlineData("to=2201-01-01", "to")]
    [InlineData("tz=Mars/Olympus", "tz")]
    public async Task RejectsBadParametersNamingThem(string query, string key)
    {
        await (await _client.GetAsync($"/api/v1/reports/trend?{query}")).ShouldBeProblem(HttpStatusCode.BadRequest, key);
    }

    [Fact]
    public async Task TakesUpTo366Points()
    {
        Dates(await Get("/api/v1/reports/trend?from=2025-05-19&to=2026-05-19&interval=day")).Should().HaveCount(366);
        await (await _client.GetAsync("/api/v1/reports/trend?from=2025-05-18&to=2026-05-19&interval=day"))
            .ShouldBeProblem(HttpStatusCode.BadRequest, "from");
        Dates(await Get("/api/v1/reports/trend?from=1996-01-01&to=2026-05-19&interval=month")).Should().HaveCount(365);
    }

    [Fact]
    public async Task AnswersCsvWithARowPerGroupAndPoint()
    {
        var json = await Get("/api/v1/reports/trend?from=2026-04-01&to=2026-04-30&groupBy=owner");
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/reports/trend?from=2026-04-01&to=2026-04-30&groupBy=owner");
        request.Headers.Accept.ParseAdd("text/csv");
        var response = await _client.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/csv");
        response.Content.Headers.ContentDisposition!.FileName!.Trim('"').Should().Be("trend-week-2026-04-30.csv");
        var rows = CsvText.Parse(Encoding.UTF8.GetString((await response.Content.ReadAsByteArrayAsync())[3..]));
        rows[0].Should().Equal("groupId", "groupName", "date", "total", "open", "planned", "inProgress", "blocked", "done", "cancelled",
            "meanProgress", "overdue", "atRisk", "offTrack", "onTimeRate", "completed", "completedOnTime", "created", "deadlineMoves");
        var series = json["series"]!.AsArray();
        series.Should().HaveCount(3);
        rows.Should().HaveCount(1 + (3 * 5), "a header, then three owners by five points");
        for (var s = 0; s < 3; s++)
        {
            for (var p = 0; p < 5; p++)
            {
                var row = rows[1 + (s * 5) + p];
                var point = series[s]!["points"]![p]!;
                row[0].Should().Be(series[s]!["groupId"]!.ToJsonString());
                row[1].Should().Be(series[s]!["groupName"]!.GetValue<string>());
                row[2].Should().Be(point["date"]!.GetValue<string>());
                row[3].Should().Be(point["total"]!.ToJsonString());
                row[10].Should().Be(point["meanProgress"]?.ToJsonString() ?? "");
                row[18].Should().Be(point["deadlineMoves"]!.ToJsonString());
            }
        }
    }

    [Fact]
    public async Task EveryRoleMayReadIt()
    {
        foreach (var role in new[] { "viewer", "coordinator" })
        {
            var key = (await _client.CreateAsync("/api/v1/api-keys", new { name = $"trend {role}", role }))["key"]!.GetValue<string>();
            (await scenario.WithKey(key).GetAsync("/api/v1/reports/trend")).StatusCode.Should().Be(HttpStatusCode.OK, role);
        }

        (await scenario.Anonymous().GetAsync("/api/v1/reports/trend")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    private async Task CheckTrend(DateOnly from, DateOnly to, string interval, string? groupBy, Dictionary<string, long> filters)
    {
        var query = $"from={Date(from)}&to={Date(to)}&interval={interval}{Query(filters)}";
        var because = $"trend?{query}&groupBy={groupBy}";
        var trend = await Get($"/api/v1/reports/trend?{query}{(groupBy is null ? "" : $"&groupBy={groupBy}")}");
        var series = trend["series"]!.AsArray();
        if (groupBy is null)
        {
            series.Should().HaveCount(1);
        }
        else
        {
            // The groups shown hold everything: their totals add up to the ungrouped ones.
            var all = (await Get($"/api/v1/reports/trend?{query}"))["series"]![0]!["points"]!.AsArray();
            for (var p = 0; p < all.Count; p++)
            {
                series.Sum(s => s!["points"]![p]!["total"]!.GetValue<long>()).Should().Be(all[p]!["total"]!.GetValue<long>(), because);
            }
        }

        foreach (var group in series)
        {
            var scope = new Dictionary<string, long>(filters);
            if (groupBy is not null)
            {
                if (group!["groupId"] is not { } id)
                {
                    continue; // Initiatives without a task force: no filter selects them alone.
                }

                scope[groupBy + "Id"] = id.GetValue<long>();
            }

            var periodStart = from;
            foreach (var point in group!["points"]!.AsArray())
            {
                var date = DateOnly.ParseExact(point!["date"]!.GetValue<string>(), "yyyy-MM-dd", CultureInfo.InvariantCulture);
                var at = $"{because} at {Date(date)} in {group["groupName"]}";
                var progress = (await Get($"/api/v1/reports/progress?asOf={Date(date)}{Query(scope)}"))["overall"]!;
                foreach (var field in s_snapshotFields)
                {
                    point[field]?.ToJsonString().Should().Be(progress[field]?.ToJsonString(), $"{field} of {at}");
                }

                point["open"]!.GetValue<long>().Should().Be(progress["planned"]!.GetValue<long>() + progress["inProgress"]!.GetValue<long>()
                    + progress["blocked"]!.GetValue<long>(), at);

                var execution = (await Get($"/api/v1/reports/execution?asOf={Date(date)}&from={Date(periodStart)}&to={Date(date)}&groupBy=direction{Query(scope)}"))["groups"]!.AsArray();
                point["completed"]!.GetValue<long>().Should().Be(execution.Sum(g => g!["completed"]!.GetValue<long>()), $"completed of {at}");
                point["completedOnTime"]!.GetValue<long>().Should().Be(execution.Sum(g => g!["completedOnTime"]!.GetValue<long>()), $"completedOnTime of {at}");
                point["deadlineMoves"]!.GetValue<long>().Should().Be(execution.Sum(g => g!["deadlineChanges"]!.GetValue<long>()), $"deadlineMoves of {at}");

                var created = await scenario.ScalarAsync<long>(
                    $"SELECT COUNT(*) FROM initiatives WHERE created_at >= @Start AND created_at < @End{Sql(scope)}",
                    new
                    {
                        Start = StartUtc(periodStart),
                        End = StartUtc(date.AddDays(1)),
                        directionId = scope.GetValueOrDefault("directionId"),
                        ownerId = scope.GetValueOrDefault("ownerId"),
                        taskForceId = scope.GetValueOrDefault("taskForceId"),
                    });
                point["created"]!.GetValue<long>().Should().Be(created, $"created of {at}");
                periodStart = date.AddDays(1);
            }
        }
    }

    private static string StartUtc(DateOnly date) =>
        (date.ToDateTime(TimeOnly.MinValue) - s_shanghai).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static string Query(Dictionary<string, long> filters) =>
        string.Concat(filters.Select(f => $"&{f.Key}={f.Value.ToString(CultureInfo.InvariantCulture)}"));

    private static string Sql(Dictionary<string, long> filters) => string.Concat(filters.Keys.Select(k => k switch
    {
        "directionId" => " AND direction_id = @directionId",
        "ownerId" => " AND owner_id = @ownerId",
        _ => " AND task_force_id = @taskForceId",
    }));

    private static string Date(DateOnly date) => TrendScenario.Date(date);

    private async Task<JsonNode> Get(string url) => await (await _client.GetAsync(url)).ShouldBe(HttpStatusCode.OK);

    private static List<string> Dates(JsonNode report) =>
        report["series"]![0]!["points"]!.AsArray().Select(p => p!["date"]!.GetValue<string>()).ToList();
}
