using System.Net;
using System.Text;
using InitiativeTracker.Api.Tests.Features.CheckIns;
using InitiativeTracker.Api.Tests.Infrastructure;

namespace InitiativeTracker.Api.Tests.Features.Audit;

/// <summary>Every write of every resource leaves an audit entry naming the actor, the entity and the action.</summary>
public sealed class AuditCoverageTests(TrackerFactory factory) : IClassFixture<TrackerFactory>
{
    private readonly HttpClient _client = factory.Admin();

    [Fact]
    public async Task AuditsMeetingCreateAndUpdate()
    {
        var meeting = await _client.CreateAsync("/api/v1/meetings", new { title = "Follow-up meeting", heldOn = "2026-03-01" });
        var id = meeting["id"]!.GetValue<long>();
        await (await _client.PutJsonAsync($"/api/v1/meetings/{id}", """{"title":"Second follow-up meeting","heldOn":"2026-03-01"}""")).ShouldBe(HttpStatusCode.OK);

        (await ActionsAsync("meeting", id)).Should().Equal("update", "create");
        (await ChangesAsync("meeting", id))["title"]!.ToJsonString().Should().Be("""{"before":"Follow-up meeting","after":"Second follow-up meeting"}""");
    }

    [Fact]
    public async Task AuditsDirectionCreateUpdateAndDelete()
    {
        var direction = await _client.CreateAsync("/api/v1/directions", new { meetingId = 1, number = 41, title = "Cultural exchange" });
        var id = direction["id"]!.GetValue<long>();
        await (await _client.PutJsonAsync($"/api/v1/directions/{id}", """{"meetingId":1,"number":41,"title":"Cultural exchange cooperation"}""")).ShouldBe(HttpStatusCode.OK);
        (await _client.DeleteAsync($"/api/v1/directions/{id}")).StatusCode.Should().Be(HttpStatusCode.NoContent);

        (await ActionsAsync("direction", id)).Should().Equal("delete", "update", "create");
        (await ChangesAsync("direction", id))["title"]!.ToJsonString().Should().Be("""{"before":"Cultural exchange cooperation","after":null}""");
    }

    [Fact]
    public async Task AuditsOwnerCreateUpdateAndDelete()
    {
        var owner = await _client.CreateAsync("/api/v1/owners", new { name = "Chen Jie" });
        var id = owner["id"]!.GetValue<long>();
        await (await _client.PutJsonAsync($"/api/v1/owners/{id}", """{"name":"Chen Jie","unit":"International Office"}""")).ShouldBe(HttpStatusCode.OK);
        (await _client.DeleteAsync($"/api/v1/owners/{id}")).StatusCode.Should().Be(HttpStatusCode.NoContent);

        (await ActionsAsync("owner", id)).Should().Equal("delete", "update", "create");
    }

    [Fact]
    public async Task AuditsTaskForceCreateUpdateAndDeleteWithTheInitiativesItDetaches()
    {
        var lead = await _client.CreateAsync("/api/v1/owners", new { name = "Task force lead" });
        var taskForce = await _client.CreateAsync("/api/v1/task-forces", new { name = "Overseas Talent Task Force", leadId = lead["id"] });
        var id = taskForce["id"]!.GetValue<long>();
        var initiative = await _client.CreateAsync("/api/v1/initiatives", new
        {
            directionId = 2, ownerId = lead["id"], taskForceId = id, title = "Overseas talent programme", deadline = "2026-12-31",
        });
        await (await _client.PutJsonAsync($"/api/v1/task-forces/{id}", $$"""{"name":"Overseas Talent Task Force","mandate":"Cultivate talent","leadId":{{lead["id"]}}}""")).ShouldBe(HttpStatusCode.OK);
        (await _client.DeleteAsync($"/api/v1/task-forces/{id}")).StatusCode.Should().Be(HttpStatusCode.NoContent);

        (await ActionsAsync("task_force", id)).Should().Equal("delete", "update", "create");
        var initiativeId = initiative["id"]!.GetValue<long>();
        (await ActionsAsync("initiative", initiativeId)).Should().Equal("update", "create");
        (await ChangesAsync("initiative", initiativeId))["taskForceId"]!.ToJsonString().Should().Be($$"""{"before":{{id}},"after":null}""");
    }

    [Fact]
    public async Task AuditsInitiativeCreatePutPatchDeleteCheckInAndDeadlineMove()
    {
        var id = await _client.NewInitiativeAsync();
        var url = $"/api/v1/initiatives/{id}";
        var current = await _client.InitiativeAsync(id);
        await (await _client.PutJsonAsync(url, $$"""{"directionId":1,"ownerId":{{current["ownerId"]}},"title":"Renamed by PUT","deadline":"2026-06-30"}""")).ShouldBe(HttpStatusCode.OK);
        var patch = new HttpRequestMessage(HttpMethod.Patch, url)
        {
            Content = new StringContent("""{"description":"Added by PATCH"}""", Encoding.UTF8, "application/merge-patch+json"),
        };
        await (await _client.SendAsync(patch)).ShouldBe(HttpStatusCode.OK);
        await (await _client.CheckInAsync(id, new { progress = 10, status = "in_progress", health = "on_track" })).ShouldBe(HttpStatusCode.Created);
        await (await _client.PutJsonAsync($"{url}/deadline", """{"deadline":"2026-07-31","reason":"Late funding"}""")).ShouldBe(HttpStatusCode.OK);
        (await _client.DeleteAsync(url)).StatusCode.Should().Be(HttpStatusCode.NoContent);

        (await ActionsAsync("initiative", id)).Should().Equal("delete", "update", "update", "update", "update", "create");
        var trail = await (await _client.GetAsync($"/api/v1/audit?entityType=initiative&entityId={id}")).ShouldBe(HttpStatusCode.OK);
        var items = trail["items"]!.AsArray();
        items[4]!["changes"]!["title"]!["after"]!.GetValue<string>().Should().Be("Renamed by PUT");
        items[3]!["changes"]!["description"]!["after"]!.GetValue<string>().Should().Be("Added by PATCH");
        items[2]!["changes"]!["status"]!["after"]!.GetValue<string>().Should().Be("in_progress");
        items[1]!["changes"]!["deadline"]!["after"]!.GetValue<string>().Should().Be("2026-07-31");
        items.Select(i => i!["actor"]!.GetValue<string>()).Should().AllBe("bootstrap");
    }

    [Fact]
    public async Task NeverReusesTheIdOfADeletedInitiativeSoItsTrailStaysItsOwn()
    {
        var deleted = await _client.NewInitiativeAsync();
        var checkIn = await (await _client.CheckInAsync(deleted, new { progress = 5, health = "on_track" })).ShouldBe(HttpStatusCode.Created);
        (await _client.DeleteAsync($"/api/v1/initiatives/{deleted}")).StatusCode.Should().Be(HttpStatusCode.NoContent);

        var next = await _client.NewInitiativeAsync();
        var nextCheckIn = await (await _client.CheckInAsync(next, new { progress = 5, health = "on_track" })).ShouldBe(HttpStatusCode.Created);

        next.Should().BeGreaterThan(deleted);
        nextCheckIn["id"]!.GetValue<long>().Should().BeGreaterThan(checkIn["id"]!.GetValue<long>());
        (await ActionsAsync("initiative", next)).Should().Equal("update", "create");
        await (await _client.GetAsync($"/api/v1/initiatives/{deleted}")).ShouldBeProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task NeverReusesTheIdOfADeletedDirection()
    {
        var deleted = (await _client.CreateAsync("/api/v1/directions", new { meetingId = 1, number = 77, title = "Short-lived" }))["id"]!.GetValue<long>();
        (await _client.DeleteAsync($"/api/v1/directions/{deleted}")).StatusCode.Should().Be(HttpStatusCode.NoContent);

        var next = (await _client.CreateAsync("/api/v1/directions", new { meetingId = 1, number = 78, title = "Next" }))["id"]!.GetValue<long>();

        next.Should().BeGreaterThan(deleted);
    }

    [Fact]
    public async Task AuditsApiKeyCreateAndRevoke()
    {
        var (id, _) = await _client.CreateKeyAsync("viewer");
        (await _client.DeleteAsync($"/api/v1/api-keys/{id}")).StatusCode.Should().Be(HttpStatusCode.NoContent);

        // The client checks the answer against openapi.yaml, so "revoke" must be a documented action too.
        (await ActionsAsync("api_key", id)).Should().Equal("revoke", "create");
    }

    [Fact]
    public void DocumentsEveryActionTheTrailWrites()
    {
        var schemas = OpenApiContract.Committed.Document["components"]!["schemas"]!;

        schemas["AuditEntryResponse"]!["properties"]!["action"]!["$ref"]!.GetValue<string>().Should().Be("#/components/schemas/AuditAction");
        schemas["AuditAction"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>())
            .Should().Equal("create", "update", "delete", "revoke", "ping", "redeliver");
    }

    [Fact]
    public async Task AFailedWriteLeavesNoAuditEntry()
    {
        var before = await factory.ScalarAsync<long>("SELECT COUNT(*) FROM audit_entries");

        await (await _client.PostJsonAsync("/api/v1/owners", """{"email":"not-an-email"}""")).ShouldBeProblem(HttpStatusCode.BadRequest);
        await (await _client.PostJsonAsync("/api/v1/initiatives", """{"directionId":999,"ownerId":1,"title":"Orphan","deadline":"2026-06-30"}"""))
            .ShouldBeProblem(HttpStatusCode.BadRequest, "directionId");

        (await factory.ScalarAsync<long>("SELECT COUNT(*) FROM audit_entries")).Should().Be(before);
    }

    private async Task<IReadOnlyList<string>> ActionsAsync(string entityType, long id)
    {
        var body = await (await _client.GetAsync($"/api/v1/audit?entityType={entityType}&entityId={id}")).ShouldBe(HttpStatusCode.OK);
        var items = body["items"]!.AsArray();
        items.Select(i => i!["actor"]!.GetValue<string>()).Should().AllBe("bootstrap");
        items.Select(i => i!["entityType"]!.GetValue<string>()).Should().AllBe(entityType);
        return items.Select(i => i!["action"]!.GetValue<string>()).ToList();
    }

    private async Task<System.Text.Json.Nodes.JsonNode> ChangesAsync(string entityType, long id)
    {
        var body = await (await _client.GetAsync($"/api/v1/audit?entityType={entityType}&entityId={id}&pageSize=1")).ShouldBe(HttpStatusCode.OK);
        return body["items"]![0]!["changes"]!;
    }
}
