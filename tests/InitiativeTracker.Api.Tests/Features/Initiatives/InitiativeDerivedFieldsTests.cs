using System.Net;
using System.Text.Json.Nodes;
using InitiativeTracker.Api.Tests.Infrastructure;

namespace InitiativeTracker.Api.Tests.Features.Initiatives;

/// <summary>
/// isOverdue, daysOverdue and daysUntilDeadline against "today" in the tracker's zone (Asia/Shanghai,
/// UTC+8). Each test sets the fake clock itself; tests in a class run one at a time.
/// </summary>
public sealed class InitiativeDerivedFieldsTests(TrackerFactory factory) : IClassFixture<TrackerFactory>
{
    private readonly HttpClient _client = factory.Admin();

    [Theory]
    [InlineData("2026-03-12", false, 0, 2)]
    [InlineData("2026-03-10", false, 0, 0)]
    [InlineData("2026-03-09", true, 1, -1)]
    [InlineData("2026-02-28", true, 10, -10)]
    public async Task DerivesOverdueAndDaysFromTodayInTheTrackersZone(string deadline, bool isOverdue, int daysOverdue, int daysUntilDeadline)
    {
        factory.Clock.AdjustTime(At("2026-03-10T02:00:00Z"));
        var id = await NewInitiativeAsync(deadline);

        var body = await GetAsync(id);

        body["isOverdue"]!.GetValue<bool>().Should().Be(isOverdue);
        body["daysOverdue"]!.GetValue<int>().Should().Be(daysOverdue);
        body["daysUntilDeadline"]!.GetValue<int>().Should().Be(daysUntilDeadline);
    }

    [Fact]
    public async Task IsADayOverdueOnceShanghaiHasPassedMidnightThoughUtcHasNot()
    {
        var id = await NewInitiativeAsync("2026-03-10");

        factory.Clock.AdjustTime(At("2026-03-10T15:59:59Z"));
        var lastSecondOfTheDay = await GetAsync(id);
        factory.Clock.AdjustTime(At("2026-03-10T16:30:00Z"));
        var afterMidnight = await GetAsync(id);
        var overdueList = await (await _client.GetAsync($"/api/v1/initiatives?overdue=true&ownerId={afterMidnight["ownerId"]}")).ShouldBe(HttpStatusCode.OK);

        lastSecondOfTheDay["isOverdue"]!.GetValue<bool>().Should().BeFalse("it is still 2026-03-10 23:59:59 in Shanghai");
        lastSecondOfTheDay["daysUntilDeadline"]!.GetValue<int>().Should().Be(0);
        afterMidnight["isOverdue"]!.GetValue<bool>().Should().BeTrue("it is already 2026-03-11 00:30 in Shanghai, though 2026-03-10 in UTC");
        afterMidnight["daysOverdue"]!.GetValue<int>().Should().Be(1);
        afterMidnight["daysUntilDeadline"]!.GetValue<int>().Should().Be(-1);
        overdueList["items"]!.AsArray().Select(i => i!["id"]!.GetValue<long>()).Should().Equal(id);
    }

    [Theory]
    [InlineData("done")]
    [InlineData("cancelled")]
    public async Task AClosedInitiativeIsNeverOverdueAndHasNoDaysUntilDeadline(string status)
    {
        factory.Clock.AdjustTime(At("2026-03-10T02:00:00Z"));
        var id = await NewInitiativeAsync("2026-01-31");
        await factory.ExecuteAsync("UPDATE initiatives SET status = @status WHERE id = @id", new { status, id });

        var body = await GetAsync(id);

        body["isOverdue"]!.GetValue<bool>().Should().BeFalse();
        body["daysOverdue"]!.GetValue<int>().Should().Be(0);
        body["daysUntilDeadline"].Should().BeNull();
    }

    [Fact]
    public async Task ABlockedInitiativeIsStillOpenAndSoOverdue()
    {
        factory.Clock.AdjustTime(At("2026-03-10T02:00:00Z"));
        var id = await NewInitiativeAsync("2026-03-07");
        await factory.ExecuteAsync("UPDATE initiatives SET status = 'blocked' WHERE id = @id", new { id });

        var body = await GetAsync(id);

        body["isOverdue"]!.GetValue<bool>().Should().BeTrue();
        body["daysOverdue"]!.GetValue<int>().Should().Be(3);
    }

    private static DateTimeOffset At(string utc) => DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture);

    private async Task<JsonNode> GetAsync(long id) => await (await _client.GetAsync($"/api/v1/initiatives/{id}")).ShouldBe(HttpStatusCode.OK);

    private async Task<long> NewInitiativeAsync(string deadline)
    {
        var owner = await _client.CreateAsync("/api/v1/owners", new { name = "Clock watcher" });
        var initiative = await _client.CreateAsync("/api/v1/initiatives",
            new { directionId = 1, ownerId = owner["id"]!.GetValue<long>(), title = $"Due {deadline}", deadline });
        return initiative["id"]!.GetValue<long>();
    }
}

/// <summary>"Today" follows <c>Tracker:TimeZone</c>: in Berlin the same instant is still the day before.</summary>
public sealed class InitiativeDerivedFieldsInAnotherZoneTests(InitiativeDerivedFieldsInAnotherZoneTests.BerlinTracker factory)
    : IClassFixture<InitiativeDerivedFieldsInAnotherZoneTests.BerlinTracker>
{
    public sealed class BerlinTracker : TrackerFactory
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Tracker:TimeZone"] = "Europe/Berlin" };
    }

    [Fact]
    public async Task IsNotOverdueWhileItIsStillTheDeadlineDayInTheConfiguredZone()
    {
        var client = factory.Admin();
        var owner = await client.CreateAsync("/api/v1/owners", new { name = "Berlin owner" });
        var created = await client.CreateAsync("/api/v1/initiatives",
            new { directionId = 1, ownerId = owner["id"]!.GetValue<long>(), title = "Due in Berlin", deadline = "2026-03-10" });
        factory.Clock.AdjustTime(new DateTimeOffset(2026, 3, 10, 16, 30, 0, TimeSpan.Zero));

        var body = await (await client.GetAsync($"/api/v1/initiatives/{created["id"]}")).ShouldBe(HttpStatusCode.OK);

        body["isOverdue"]!.GetValue<bool>().Should().BeFalse("it is 17:30 on 2026-03-10 in Berlin");
        body["daysUntilDeadline"]!.GetValue<int>().Should().Be(0);
    }
}
