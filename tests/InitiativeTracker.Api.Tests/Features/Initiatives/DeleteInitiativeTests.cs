using System.Net;
using System.Text.Json.Nodes;
using InitiativeTracker.Api.Tests.Infrastructure;

namespace InitiativeTracker.Api.Tests.Features.Initiatives;

public sealed class DeleteInitiativeTests(TrackerFactory factory) : IClassFixture<TrackerFactory>
{
    private readonly HttpClient _client = factory.Admin();

    [Fact]
    public async Task DeletesAnInitiativeWithItsHistoryAndAuditsIt()
    {
        var id = Id(await NewInitiativeAsync());
        // Check-ins and deadline moves have no route yet: write one of each directly.
        await factory.ExecuteAsync("""
            INSERT INTO check_ins (initiative_id, progress, status, previous_status, health, note, reported_by, reported_at)
            VALUES (@id, 10, 'in_progress', 'planned', 'on_track', 'Started', 'bootstrap', '2026-03-10T02:00:00.000Z');
            INSERT INTO deadline_changes (initiative_id, from_deadline, to_deadline, reason, changed_by, changed_at)
            VALUES (@id, '2026-09-30', '2026-10-31', 'Partner delay', 'bootstrap', '2026-03-10T02:00:00.000Z');
            """, new { id });

        var response = await _client.SendJsonAsync(HttpMethod.Delete, $"/api/v1/initiatives/{id}", null, ifMatch: "\"1\"");

        response.StatusCode.Should().Be(HttpStatusCode.NoContent);
        await (await _client.GetAsync($"/api/v1/initiatives/{id}")).ShouldBeProblem(HttpStatusCode.NotFound);
        (await factory.ScalarAsync<long>("SELECT COUNT(*) FROM initiatives WHERE id = @id", new { id })).Should().Be(0);
        (await factory.ScalarAsync<long>("SELECT COUNT(*) FROM check_ins WHERE initiative_id = @id", new { id })).Should().Be(0);
        (await factory.ScalarAsync<long>("SELECT COUNT(*) FROM deadline_changes WHERE initiative_id = @id", new { id })).Should().Be(0);
        var changes = JsonNode.Parse(await factory.ScalarAsync<string>(
            "SELECT changes FROM audit_entries WHERE entity_type = 'initiative' AND entity_id = @id AND action = 'delete'", new { id }))!;
        changes["title"]!["before"]!.GetValue<string>().Should().Be("Doomed", "the audit trail keeps what was deleted");
        changes["title"]!["after"].Should().BeNull();
    }

    [Fact]
    public async Task RejectsAStaleIfMatchAndKeepsTheInitiative()
    {
        var id = Id(await NewInitiativeAsync());
        var before = await factory.SnapshotAsync();

        var response = await _client.SendJsonAsync(HttpMethod.Delete, $"/api/v1/initiatives/{id}", null, ifMatch: "\"2\"");

        await response.ShouldBeProblem(HttpStatusCode.PreconditionFailed);
        (await factory.SnapshotAsync()).Should().Be(before);
        await (await _client.GetAsync($"/api/v1/initiatives/{id}")).ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task AnswersNotFoundForAMissingOrAlreadyDeletedInitiative()
    {
        var id = Id(await NewInitiativeAsync());
        (await _client.DeleteAsync($"/api/v1/initiatives/{id}")).StatusCode.Should().Be(HttpStatusCode.NoContent);

        await (await _client.DeleteAsync($"/api/v1/initiatives/{id}")).ShouldBeProblem(HttpStatusCode.NotFound);
        await (await _client.DeleteAsync("/api/v1/initiatives/999999")).ShouldBeProblem(HttpStatusCode.NotFound);
    }

    private static long Id(JsonNode initiative) => initiative["id"]!.GetValue<long>();

    private async Task<JsonNode> NewInitiativeAsync()
    {
        var owner = await _client.CreateAsync("/api/v1/owners", new { name = "Deleter" });
        return await _client.CreateAsync("/api/v1/initiatives",
            new { directionId = 3, ownerId = owner["id"]!.GetValue<long>(), title = "Doomed", deadline = "2026-09-30" });
    }
}
