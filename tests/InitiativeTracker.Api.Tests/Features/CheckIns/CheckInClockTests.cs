using System.Net;
using InitiativeTracker.Api.Tests.Infrastructure;

namespace InitiativeTracker.Api.Tests.Features.CheckIns;

/// <summary>"Today" is the tracker's date (Asia/Shanghai, UTC+8), not the UTC date. This class moves its own clock.</summary>
public sealed class CheckInClockTests(TrackerFactory factory) : IClassFixture<TrackerFactory>
{
    private readonly HttpClient _client = factory.Admin();

    [Fact]
    public async Task CompletedOnIsTodayInTheTrackerTimeZone()
    {
        var beforeMidnight = await _client.NewInitiativeInAsync("in_progress");
        var afterMidnight = await _client.NewInitiativeInAsync("in_progress");

        factory.Clock.SetUtcNow(new DateTimeOffset(2026, 3, 10, 15, 59, 59, TimeSpan.Zero));
        var late = await (await _client.CheckInAsync(beforeMidnight, new { progress = 90, status = "done", health = "on_track" })).ShouldBe(HttpStatusCode.Created);

        factory.Clock.SetUtcNow(new DateTimeOffset(2026, 3, 10, 16, 30, 0, TimeSpan.Zero));
        var early = await (await _client.CheckInAsync(afterMidnight, new { progress = 90, status = "done", health = "on_track" })).ShouldBe(HttpStatusCode.Created);

        late["reportedAt"]!.GetValue<string>().Should().Be("2026-03-10T15:59:59Z");
        (await _client.InitiativeAsync(beforeMidnight))["completedOn"]!.GetValue<string>().Should().Be("2026-03-10", "15:59:59Z is 23:59:59 in Shanghai");
        early["reportedAt"]!.GetValue<string>().Should().Be("2026-03-10T16:30:00Z");
        var initiative = await _client.InitiativeAsync(afterMidnight);
        initiative["completedOn"]!.GetValue<string>().Should().Be("2026-03-11", "16:30Z is already 00:30 on the 11th in Shanghai");
        initiative["lastCheckInAt"]!.GetValue<string>().Should().Be("2026-03-10T16:30:00Z");
    }
}
