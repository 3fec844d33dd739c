using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using InitiativeTracker.Api.Tests.Infrastructure;

namespace InitiativeTracker.Api.Tests.Features.Reports;

public sealed class ReportTests(ReportScenario scenario) : IClassFixture<ReportScenario>
{
    private readonly HttpClient _client = scenario.Admin();

    [Fact]
    public async Task OverdueListsOpenInitiativesPastDeadlineWithEveryColumn()
    {
        var report = await Get("/api/v1/reports/overdue");

        report["asOf"]!.GetValue<string>().Should().Be("2026-04-01", "it is already April 1 in Asia/Shanghai");
        report["timeZone"]!.GetValue<string>().Should().Be("Asia/Shanghai");
        report["totalCount"]!.GetValue<long>().Should().Be(1);
        var row = report["items"]![0]!;
        row["initiativeId"]!.GetValue<long>().Should().Be(scenario.I1);
        row["title"]!.GetValue<string>().Should().Be("Innovation center, Almaty");
        row["directionNumber"]!.GetValue<int>().Should().Be(1);
        row["directionTitle"]!.GetValue<string>().Should().StartWith("Use the University Alliance of the Silk Road");
        row["ownerName"]!.GetValue<string>().Should().Be("Ahmed Aliyev");
        row["ownerEmail"]!.GetValue<string>().Should().Be("ahmed@uasr.example.edu");
        row["taskForceName"]!.GetValue<string>().Should().Be("Overseas Innovation Centers");
        row["deadline"]!.GetValue<string>().Should().Be("2026-03-12");
        row["daysOverdue"]!.GetValue<int>().Should().Be(20);
        row["progress"]!.GetValue<int>().Should().Be(30);
        row["status"]!.GetValue<string>().Should().Be("in_progress");
        row["health"]!.GetValue<string>().Should().Be("on_track");
        row["lastCheckInAt"]!.GetValue<string>().Should().Be("2026-03-10T02:00:00Z");
        row["daysSinceLastCheckIn"]!.GetValue<int>().Should().Be(22);
    }

    [Fact]
    public async Task OverdueCountsDaysInTheRequestedTimeZone()
    {
        var row = (await Get("/api/v1/reports/overdue?tz=Etc/UTC"))["items"]![0]!;

        row["daysOverdue"]!.GetValue<int>().Should().Be(19, "in UTC it is still March 31");
        row["daysSinceLastCheckIn"]!.GetValue<int>().Should().Be(21);
    }

    [Fact]
    public async Task PastAsOfRebuildsStatusAndDeadlinesFromHistory()
    {
        var report = await Get("/api/v1/reports/overdue?asOf=2026-03-16");

        report["asOf"]!.GetValue<string>().Should().Be("2026-03-16");
        Ids(report).Should().Equal(scenario.I1, scenario.I2);
        var i2 = report["items"]![1]!;
        i2["daysOverdue"]!.GetValue<int>().Should().Be(1);
        i2["status"]!.GetValue<string>().Should().Be("in_progress", "I2 was only done on March 18");
        i2["progress"]!.GetValue<int>().Should().Be(50);
        i2["health"]!.GetValue<string>().Should().Be("at_risk");
        i2["daysSinceLastCheckIn"]!.GetValue<int>().Should().Be(2);
    }

    [Fact]
    public async Task PastAsOfUsesTheDeadlineInForceThatDay()
    {
        var report = await Get("/api/v1/reports/upcoming?asOf=2026-03-13&withinDays=14");

        Ids(report).Should().Equal(scenario.I2, scenario.I4);
        report["items"]![1]!["deadline"]!.GetValue<string>().Should().Be("2026-03-20", "I4's deadline only moved on March 14");
        report["items"]![1]!["daysUntilDeadline"]!.GetValue<int>().Should().Be(7);
    }

    [Fact]
    public async Task PastAsOfLeavesOutInitiativesCreatedLaterAndLaterCompletions()
    {
        (await Get("/api/v1/reports/overdue?asOf=2026-03-09"))["totalCount"]!.GetValue<long>().Should().Be(0);
        Ids(await Get("/api/v1/reports/overdue?asOf=2026-03-19")).Should().Equal(scenario.I1);
    }

    [Fact]
    public async Task FutureAsOfProjectsTodaysStateOntoThatDate()
    {
        var report = await Get("/api/v1/reports/overdue?asOf=2026-05-05");

        Ids(report).Should().Equal(scenario.I1, scenario.I3);
        report["items"]![0]!["daysOverdue"]!.GetValue<int>().Should().Be(54);
        report["items"]![1]!["daysOverdue"]!.GetValue<int>().Should().Be(5);
    }

    [Fact]
    public async Task OverdueFiltersGroupsAndPages()
    {
        Ids(await Get($"/api/v1/reports/overdue?asOf=2026-03-16&ownerId={scenario.OwnerB}")).Should().Equal(scenario.I2);
        Ids(await Get("/api/v1/reports/overdue?asOf=2026-03-16&directionId=1")).Should().Equal(scenario.I1);

        var grouped = await Get("/api/v1/reports/overdue?asOf=2026-03-16&groupBy=owner");
        grouped["groups"]!.AsArray().Select(g => (g!["groupName"]!.GetValue<string>(), g["count"]!.GetValue<long>()))
            .Should().Equal(("Ahmed Aliyev", 1L), ("Bai Lan", 1L));

        var page = await Get("/api/v1/reports/overdue?asOf=2026-03-16&pageSize=1&page=2");
        Ids(page).Should().Equal(scenario.I2);
        page["totalCount"]!.GetValue<long>().Should().Be(2);
        page["pageSize"]!.GetValue<int>().Should().Be(1);
    }

    [Theory]
    [InlineData("owner")]
    [InlineData("taskForce")]
    [InlineData("direction")]
    public async Task GroupingAnEmptyReportAnswersNoGroupsAndNamesItsGrouping(string groupBy)
    {
        var report = await Get($"/api/v1/reports/overdue?asOf=2026-03-09&groupBy={groupBy}");

        report["totalCount"]!.GetValue<long>().Should().Be(0);
        report["groups"]!.AsArray().Should().BeEmpty();
        report["groupBy"]!.GetValue<string>().Should().Be(groupBy, "the answer names its grouping as the request did");
    }

    [Fact]
    public async Task UpcomingListsOpenInitiativesDueWithinTheWindow()
    {
        var within = await Get("/api/v1/reports/upcoming?withinDays=29");
        Ids(within).Should().Equal(scenario.I3);
        within["items"]![0]!["daysUntilDeadline"]!.GetValue<int>().Should().Be(29);

        (await Get("/api/v1/reports/upcoming?withinDays=28"))["totalCount"]!.GetValue<long>().Should().Be(0);
        (await Get("/api/v1/reports/upcoming"))["withinDays"]!.GetValue<int>().Should().Be(14);
    }

    [Fact]
    public async Task ProgressCountsPerDirectionAndOverall()
    {
        var report = await Get("/api/v1/reports/progress");

        var overall = report["overall"]!;
        Numbers(overall, "total", "planned", "inProgress", "blocked", "done", "cancelled", "overdue", "atRisk", "offTrack")
            .Should().Equal(4, 1, 1, 0, 2, 0, 1, 0, 0);
        overall["meanProgress"]!.GetValue<double>().Should().Be(15.0);
        overall["onTimeRate"]!.GetValue<double>().Should().Be(0.5);

        var directions = report["directions"]!.AsArray();
        directions.Select(d => d!["directionNumber"]!.GetValue<int>()).Should().Equal(1, 2, 3);
        Numbers(directions[0]!, "total", "inProgress", "done", "overdue").Should().Equal(2, 1, 1, 1);
        directions[0]!["onTimeRate"]!.GetValue<double>().Should().Be(1.0);
        directions[1]!["meanProgress"].Should().BeNull("direction 2 has no open initiative");
        directions[1]!["onTimeRate"]!.GetValue<double>().Should().Be(0.0);
        directions[2]!["onTimeRate"].Should().BeNull("nothing under direction 3 is done");
    }

    [Fact]
    public async Task ProgressAsOfAPastDateCountsAtRiskFromHistory()
    {
        var report = await Get("/api/v1/reports/progress?asOf=2026-03-16");

        Numbers(report["overall"]!, "done", "inProgress", "planned", "overdue", "atRisk").Should().Equal(0, 2, 2, 2, 1);
        report["overall"]!["onTimeRate"].Should().BeNull();
    }

    [Fact]
    public async Task ExecutionScorecardPerOwnerJudgesLatenessAgainstBothDeadlines()
    {
        var groups = (await Get("/api/v1/reports/execution?groupBy=owner"))["groups"]!.AsArray();

        groups.Select(g => g!["groupName"]!.GetValue<string>()).Should().Equal("Ahmed Aliyev", "Bai Lan");
        var ahmed = groups[0]!;
        Numbers(ahmed, "completed", "completedOnTime", "completedByOriginalDeadline", "open", "openOverdue", "deadlineChanges", "staleInitiatives")
            .Should().Equal(0, 0, 0, 2, 1, 0, 2);
        ahmed["onTimeRate"].Should().BeNull("nothing was completed");
        ahmed["medianDaysLate"].Should().BeNull();
        var bai = groups[1]!;
        Numbers(bai, "completed", "completedOnTime", "completedByOriginalDeadline", "open", "openOverdue", "deadlineChanges", "staleInitiatives")
            .Should().Equal(2, 1, 0, 0, 0, 1, 0);
        bai["onTimeRate"]!.GetValue<double>().Should().Be(0.5);
        bai["medianDaysLate"]!.GetValue<double>().Should().Be(3, "only I2 was late, by 3 days; I4 was on time by its moved deadline");
    }

    [Fact]
    public async Task ExecutionScorecardPerTaskForceHasAGroupForInitiativesWithoutOne()
    {
        var groups = (await Get("/api/v1/reports/execution?groupBy=taskForce"))["groups"]!.AsArray();

        groups.Select(g => g!["groupName"]!.GetValue<string>()).Should().Equal("Overseas Innovation Centers", "(no task force)");
        groups[0]!["groupId"]!.GetValue<long>().Should().Be(scenario.TaskForce);
        Numbers(groups[0]!, "completed", "completedOnTime", "open", "openOverdue", "deadlineChanges", "staleInitiatives").Should().Equal(1, 1, 1, 1, 1, 1);
        groups[1]!["groupId"].Should().BeNull();
        Numbers(groups[1]!, "completed", "completedOnTime", "open", "openOverdue", "deadlineChanges", "staleInitiatives").Should().Equal(1, 0, 1, 0, 0, 1);
        groups[1]!["medianDaysLate"]!.GetValue<double>().Should().Be(3);
    }

    [Fact]
    public async Task ExecutionScorecardCountsOnlyTheWindowAndTheStateAsOfADate()
    {
        var window = (await Get($"/api/v1/reports/execution?from=2026-03-20&to=2026-03-31&ownerId={scenario.OwnerB}"))["groups"]!.AsArray();
        Numbers(window.Single()!, "completed", "completedOnTime", "deadlineChanges").Should().Equal(1, 1, 0);

        var past = (await Get("/api/v1/reports/execution?asOf=2026-03-19"))["groups"]!.AsArray();
        Numbers(past[1]!, "completed", "completedOnTime", "open", "openOverdue", "deadlineChanges", "staleInitiatives").Should().Equal(1, 0, 1, 0, 1, 0);
        Numbers(past[0]!, "open", "openOverdue", "staleInitiatives").Should().Equal(2, 1, 0);
    }

    [Fact]
    public async Task OverdueAsCsvIsRfc4180WithBomCrlfAndEveryRow()
    {
        var response = await _client.GetAsync("/api/v1/reports/overdue?asOf=2026-03-16&format=csv&pageSize=1");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/csv");
        response.Content.Headers.ContentDisposition!.DispositionType.Should().Be("attachment");
        response.Content.Headers.ContentDisposition.FileName!.Trim('"').Should().Be("overdue-2026-03-16.csv");
        var bytes = await response.Content.ReadAsByteArrayAsync();
        bytes.Take(3).Should().Equal(0xEF, 0xBB, 0xBF);
        var text = Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3);
        text.Should().EndWith("\r\n").And.NotMatchRegex("[^\r]\n");

        var rows = CsvText.Parse(text);
        rows[0].Should().Equal("initiativeId", "title", "directionId", "directionNumber", "directionTitle", "ownerId", "ownerName", "ownerEmail",
            "taskForceId", "taskForceName", "deadline", "daysOverdue", "progress", "status", "health", "lastCheckInAt", "daysSinceLastCheckIn");
        rows.Should().HaveCount(3, "CSV carries every row, not a page");
        rows[2][0].Should().Be(scenario.I2.ToString(System.Globalization.CultureInfo.InvariantCulture));
        rows[2][1].Should().Be("Dual degree, \"energy\", phase 1");
        rows[2][8].Should().BeEmpty("I2 has no task force");
        rows[2][10..].Should().Equal("2026-03-15", "1", "50", "in_progress", "at_risk", "2026-03-14T02:00:00Z", "2");
    }

    [Fact]
    public async Task EveryReportAnswersCsvForAcceptTextCsv()
    {
        foreach (var report in new[] { "overdue", "upcoming", "progress", "execution" })
        {
            var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/reports/{report}");
            request.Headers.Accept.ParseAdd("text/csv");
            var response = await _client.SendAsync(request);

            response.StatusCode.Should().Be(HttpStatusCode.OK);
            response.Content.Headers.ContentType!.MediaType.Should().Be("text/csv", report);
            var rows = CsvText.Parse(Encoding.UTF8.GetString((await response.Content.ReadAsByteArrayAsync())[3..]));
            rows.Should().NotBeEmpty();
        }

        var progress = CsvText.Parse(Encoding.UTF8.GetString((await _client.GetByteArrayAsync("/api/v1/reports/progress?format=csv"))[3..]));
        progress.Should().HaveCount(1 + 3 + 1, "a header, the three directions and the overall row");
        progress[^1][0].Should().Be("overall");
    }

    [Theory]
    [InlineData("/api/v1/reports/overdue?tz=Mars/Olympus", "tz")]
    [InlineData("/api/v1/reports/overdue?asOf=2026-02-30", "asOf")]
    [InlineData("/api/v1/reports/overdue?groupBy=city", "groupBy")]
    [InlineData("/api/v1/reports/overdue?format=xml", "format")]
    [InlineData("/api/v1/reports/overdue?pageSize=500", "pageSize")]
    [InlineData("/api/v1/reports/upcoming?withinDays=-1", "withinDays")]
    [InlineData("/api/v1/reports/execution?staleAfterDays=0", "staleAfterDays")]
    [InlineData("/api/v1/reports/execution?from=2026-03-20&to=2026-03-01", "to")]
    [InlineData("/api/v1/reports/progress?directionId=abc", "directionId")]
    public async Task RejectsBadParametersNamingThem(string url, string key)
    {
        await (await _client.GetAsync(url)).ShouldBeProblem(HttpStatusCode.BadRequest, key);
    }

    private async Task<JsonNode> Get(string url) => await (await _client.GetAsync(url)).ShouldBe(HttpStatusCode.OK);

    private static List<long> Ids(JsonNode report) =>
        report["items"]!.AsArray().Select(i => i!["initiativeId"]!.GetValue<long>()).ToList();

    private static List<long> Numbers(JsonNode node, params string[] names) =>
        names.Select(n => node[n]!.GetValue<long>()).ToList();
}
