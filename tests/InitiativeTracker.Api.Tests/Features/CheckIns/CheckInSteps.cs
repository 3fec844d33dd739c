using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using InitiativeTracker.Api.Tests.Infrastructure;

namespace InitiativeTracker.Api.Tests.Features.CheckIns;

/// <summary>The steps check-in, deadline and audit tests share: an initiative, brought to a status through check-ins.</summary>
public static class CheckInSteps
{
    /// <summary>A new planned initiative under direction 1, with an owner of its own; its id.</summary>
    public static async Task<long> NewInitiativeAsync(this HttpClient client, string deadline = "2026-06-30", string? startDate = null)
    {
        var owner = await client.CreateAsync("/api/v1/owners", new { name = $"Owner {Guid.NewGuid():N}" });
        var initiative = await client.CreateAsync("/api/v1/initiatives", new
        {
            directionId = 1,
            ownerId = owner["id"]!.GetValue<long>(),
            title = "Joint technology transfer center in Almaty",
            startDate,
            deadline,
        });
        return initiative["id"]!.GetValue<long>();
    }

    /// <summary>A new initiative brought to <paramref name="status"/> by the shortest legal path of check-ins.</summary>
    public static async Task<long> NewInitiativeInAsync(this HttpClient client, string status)
    {
        var id = await client.NewInitiativeAsync();
        string[] path = status switch
        {
            "planned" => [],
            "in_progress" => ["in_progress"],
            "blocked" => ["blocked"],
            "done" => ["in_progress", "done"],
            "cancelled" => ["cancelled"],
            _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
        };
        foreach (var step in path)
        {
            await (await client.CheckInAsync(id, new { progress = 50, status = step, health = "on_track" })).ShouldBe(HttpStatusCode.Created);
        }

        return id;
    }

    public static Task<HttpResponseMessage> CheckInAsync(this HttpClient client, long initiativeId, object body) =>
        client.PostAsJsonAsync($"/api/v1/initiatives/{initiativeId}/check-ins", body);

    public static async Task<JsonNode> InitiativeAsync(this HttpClient client, long id) =>
        await (await client.GetAsync($"/api/v1/initiatives/{id}")).ShouldBe(HttpStatusCode.OK);

    /// <summary>What a failed write must leave untouched: the initiative's check-ins, deadline moves, version and audit entries.</summary>
    public static Task<string> FootprintAsync(this TrackerFactory factory, long initiativeId) =>
        factory.ScalarAsync<string>("""
            SELECT (SELECT COUNT(*) FROM check_ins WHERE initiative_id = @initiativeId) || '/' ||
                   (SELECT COUNT(*) FROM deadline_changes WHERE initiative_id = @initiativeId) || '/' ||
                   (SELECT version || ':' || status || ':' || progress || ':' || health || ':' || deadline FROM initiatives WHERE id = @initiativeId) || '/' ||
                   (SELECT COUNT(*) FROM audit_entries);
            """, new { initiativeId });
}
