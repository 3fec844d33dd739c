using System.Net;
using InitiativeTracker.Api.Tests.Features.CheckIns;
using InitiativeTracker.Api.Tests.Infrastructure;

namespace InitiativeTracker.Api.Tests.Contract;

/// <summary>
/// Every date a request carries lies between 1900-01-01 and 2200-12-31: one outside is a 400 that says
/// so, keyed by its field or parameter, never a 500 (0001-01-01 at midnight in Shanghai is before the
/// first instant .NET can hold) nor "is required" (which is what an absent date is).
/// </summary>
public sealed class DateRangeTests(TrackerFactory factory) : IClassFixture<TrackerFactory>
{
    private const string OutOfRange = "must be a date between 1900-01-01 and 2200-12-31";

    private readonly HttpClient _client = factory.Admin();

    [Theory]
    [InlineData("from=0001-01-01", "from")]
    [InlineData("to=0001-01-01", "to")]
    [InlineData("from=9999-12-31", "from")]
    [InlineData("to=9999-12-31", "to")]
    [InlineData("from=1899-12-31", "from")]
    [InlineData("to=2201-01-01", "to")]
    [InlineData("from=0001-01-01T00:00:00Z", "from")]
    [InlineData("to=9999-12-31T23:59:59.9999999Z", "to")]
    public async Task RefusesAnAuditBoundOutsideTheRangeNamingIt(string query, string key)
    {
        var problem = await (await _client.GetAsync($"/api/v1/audit?{query}")).ShouldBeProblem(HttpStatusCode.BadRequest, key);

        problem["errors"]![key]![0]!.GetValue<string>().Should().Be($"'{key}' must lie between 1900-01-01 and 2200-12-31.");
    }

    [Theory]
    [InlineData("from=9999-12-31T23:59:59-05:00", "from")]
    [InlineData("to=0001-01-01T00:00:00%2B08:00", "to")]
    public async Task RefusesAnAuditTimestampNoInstantCanHoldNamingIt(string query, string key)
    {
        await (await _client.GetAsync($"/api/v1/audit?{query}")).ShouldBeProblem(HttpStatusCode.BadRequest, key);
    }

    [Theory]
    [InlineData("from=1900-01-01&to=2200-12-31")]
    [InlineData("from=1900-01-01T00:00:00Z&to=2200-12-31T23:59:59.9999999Z")]
    public async Task AcceptsAuditBoundsAtTheEndsOfTheRange(string query)
    {
        await (await _client.GetAsync($"/api/v1/audit?{query}")).ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("/api/v1/reports/execution?from=0001-01-01")]
    [InlineData("/api/v1/reports/execution?from=0001-01-01&tz=Pacific/Kiritimati")]
    [InlineData("/api/v1/reports/execution?from=9999-12-31&tz=Pacific/Pago_Pago")]
    [InlineData("/api/v1/reports/execution?from=9999-12-31&to=9999-12-31&tz=Pacific/Pago_Pago")]
    [InlineData("/api/v1/reports/execution?to=0001-01-01&tz=Pacific/Kiritimati")]
    [InlineData("/api/v1/initiatives?dueBefore=0001-01-01&dueAfter=9999-12-31")]
    public async Task AnswersFiltersThatOnlyCompareDatesWithoutFailingAtTheEndsOfTheCalendar(string url)
    {
        await (await _client.GetAsync(url)).ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("0001-01-01")]
    [InlineData("1899-12-31")]
    [InlineData("2201-01-01")]
    [InlineData("9999-12-31")]
    public async Task RefusesAMeetingHeldOnADateOutsideTheRange(string heldOn)
    {
        var problem = await (await _client.PostJsonAsync("/api/v1/meetings", $$"""{"title":"Out of range","heldOn":"{{heldOn}}"}"""))
            .ShouldBeProblem(HttpStatusCode.BadRequest, "heldOn");

        problem["errors"]!["heldOn"]![0]!.GetValue<string>().Should().Be($"'heldOn' {OutOfRange}.");
    }

    [Fact]
    public async Task StillNamesAMissingDateAsRequired()
    {
        var problem = await (await _client.PostJsonAsync("/api/v1/meetings", """{"title":"No date"}""")).ShouldBeProblem(HttpStatusCode.BadRequest, "heldOn");

        problem["errors"]!["heldOn"]![0]!.GetValue<string>().Should().Be("'heldOn' is required (yyyy-MM-dd).");
    }

    [Fact]
    public async Task AcceptsDatesAtTheEndsOfTheRange()
    {
        await _client.CreateAsync("/api/v1/meetings", new { title = "Earliest", heldOn = "1900-01-01" });
        await _client.CreateAsync("/api/v1/meetings", new { title = "Latest", heldOn = "2200-12-31" });
        await _client.NewInitiativeAsync(startDate: "1900-01-01", deadline: "2200-12-31");
    }

    [Theory]
    [InlineData("""{"deadline":"0001-01-01"}""", "deadline")]
    [InlineData("""{"deadline":"9999-12-31"}""", "deadline")]
    [InlineData("""{"deadline":"2026-12-31","startDate":"0001-01-01"}""", "startDate")]
    public async Task RefusesAnInitiativeDateOutsideTheRange(string dates, string key)
    {
        var owner = await _client.IdOfAsync("/api/v1/owners", new { name = $"Dates {Guid.NewGuid():N}" });
        var body = dates.Replace("{", $$"""{"directionId":1,"ownerId":{{owner}},"title":"Out of range",""", StringComparison.Ordinal);
        var before = await factory.SnapshotAsync();

        var problem = await (await _client.PostJsonAsync("/api/v1/initiatives", body)).ShouldBeProblem(HttpStatusCode.BadRequest, key);

        problem["errors"]![key]![0]!.GetValue<string>().Should().Be($"'{key}' {OutOfRange}.");
        (await factory.SnapshotAsync()).Should().Be(before);
    }

    [Fact]
    public async Task RefusesAnImportRowWithADateOutsideTheRange()
    {
        var owner = await _client.IdOfAsync("/api/v1/owners", new { name = $"Import dates {Guid.NewGuid():N}" });
        var csv = $"directionId,ownerId,title,deadline\r\n1,{owner},In range,2026-12-31\r\n1,{owner},Out of range,0001-01-01\r\n";

        var problem = await (await _client.PostAsync("/api/v1/initiatives/import", new StringContent(csv, System.Text.Encoding.UTF8, "text/csv")))
            .ShouldBeProblem(HttpStatusCode.BadRequest, "rows[1].deadline");

        problem["errors"]!.AsObject().Select(e => e.Key).Should().Equal("rows[1].deadline");
        problem["errors"]!["rows[1].deadline"]![0]!.GetValue<string>().Should().Be($"'deadline' {OutOfRange}.");
    }

    [Fact]
    public async Task RefusesToMoveADeadlineOutsideTheRange()
    {
        var id = await _client.NewInitiativeAsync();

        var problem = await (await _client.PutJsonAsync($"/api/v1/initiatives/{id}/deadline", """{"deadline":"0001-01-01","reason":"Typo"}"""))
            .ShouldBeProblem(HttpStatusCode.BadRequest, "deadline");

        problem["errors"]!["deadline"]![0]!.GetValue<string>().Should().Be($"'deadline' {OutOfRange}.");
    }

    [Fact]
    public async Task RefusesAStartDateOutsideTheRangeOnAnEdit()
    {
        var id = await _client.NewInitiativeAsync();
        var current = await (await _client.GetAsync($"/api/v1/initiatives/{id}")).ShouldBe(HttpStatusCode.OK);
        current["startDate"] = "0001-01-01";

        await (await _client.PutJsonAsync($"/api/v1/initiatives/{id}", current.ToJsonString())).ShouldBeProblem(HttpStatusCode.BadRequest, "startDate");
        await (await _client.PatchMergeAsync($"/api/v1/initiatives/{id}", """{"startDate":"9999-12-31"}""")).ShouldBeProblem(HttpStatusCode.BadRequest, "startDate");
    }
}
