using System.Net;
using InitiativeTracker.Api.Tests.Infrastructure;

namespace InitiativeTracker.Api.Tests.Features.CheckIns;

/// <summary>Check-ins racing on one initiative: every one lands, in a single order, each moving on from the state the previous one left.</summary>
public sealed class CheckInConcurrencyTests(TrackerFactory factory) : IClassFixture<TrackerFactory>
{
    private readonly HttpClient _client = factory.Admin();

    [Theory]
    [InlineData(2)]
    [InlineData(20)]
    public async Task RacingCheckInsAllLandAndTheLastOneWrittenWins(int count)
    {
        var id = await _client.NewInitiativeInAsync("in_progress");
        var version = (await _client.InitiativeAsync(id))["version"]!.GetValue<long>();

        // in_progress ↔ blocked and staying put are all legal, so every order of arrival is valid.
        var responses = await Task.WhenAll(Enumerable.Range(1, count).Select(i =>
            _client.CheckInAsync(id, new { progress = i, status = i % 3 == 0 ? "blocked" : "in_progress", health = i % 2 == 0 ? "at_risk" : "on_track" })));

        responses.Select(r => r.StatusCode).Should().AllBeEquivalentTo(HttpStatusCode.Created);
        var page = await (await _client.GetAsync($"/api/v1/initiatives/{id}/check-ins?pageSize=200&sort=reportedAt")).ShouldBe(HttpStatusCode.OK);
        var history = page["items"]!.AsArray()
            .Select(c => (Id: c!["id"]!.GetValue<long>(), Progress: c["progress"]!.GetValue<int>(), Status: c["status"]!.GetValue<string>(),
                Previous: c["previousStatus"]!.GetValue<string>(), Health: c["health"]!.GetValue<string>()))
            .OrderBy(c => c.Id)
            .ToList();
        history.Should().HaveCount(count + 1, "the check-in that started it plus every racer");
        history.Skip(1).Select(c => c.Progress).Should().BeEquivalentTo(Enumerable.Range(1, count));
        for (var i = 1; i < history.Count; i++)
        {
            history[i].Previous.Should().Be(history[i - 1].Status, "each check-in read the state the one before it wrote");
        }

        var last = history[^1];
        var initiative = await _client.InitiativeAsync(id);
        initiative["progress"]!.GetValue<int>().Should().Be(last.Progress);
        initiative["status"]!.GetValue<string>().Should().Be(last.Status);
        initiative["health"]!.GetValue<string>().Should().Be(last.Health);
        initiative["version"]!.GetValue<long>().Should().Be(version + count);
        (await factory.ScalarAsync<long>("SELECT COUNT(*) FROM audit_entries WHERE entity_type = 'initiative' AND entity_id = @id AND action = 'update'", new { id }))
            .Should().Be(count + 1);
    }
}
