using System.Net;
using System.Text.Json.Nodes;
using InitiativeTracker.Api.Tests.Infrastructure;

namespace InitiativeTracker.Api.Tests.Features.TaskForces;

public sealed class TaskForceTests(TrackerFactory factory) : IClassFixture<TrackerFactory>
{
    private readonly HttpClient _client = factory.Admin();

    [Fact]
    public async Task CreatesATaskForceWithLocationETagAndAudit()
    {
        var lead = await NewOwnerAsync("Lead of creation");

        var response = await _client.PostJsonAsync("/api/v1/task-forces",
            $$"""{"name":"Overseas Talent Task Force","mandate":"Cultivate talent along the Silk Road","leadId":{{lead}}}""");

        var body = await response.ShouldBe(HttpStatusCode.Created);
        var id = body["id"]!.GetValue<long>();
        response.Headers.Location!.ToString().Should().Be($"/api/v1/task-forces/{id}");
        response.Headers.ETag!.Tag.Should().Be("\"1\"");
        body["name"]!.GetValue<string>().Should().Be("Overseas Talent Task Force");
        body["mandate"]!.GetValue<string>().Should().Be("Cultivate talent along the Silk Road");
        body["leadId"]!.GetValue<long>().Should().Be(lead);
        var fetched = await (await _client.GetAsync($"/api/v1/task-forces/{id}")).ShouldBe(HttpStatusCode.OK);
        fetched.ToJsonString().Should().Be(body.ToJsonString());
        (await factory.ScalarAsync<long>(
            "SELECT COUNT(*) FROM audit_entries WHERE entity_type = 'task_force' AND entity_id = @id AND action = 'create'", new { id }))
            .Should().Be(1);
    }

    [Fact]
    public async Task CreatesATaskForceWithoutALead()
    {
        var created = await _client.CreateAsync("/api/v1/task-forces", new { name = "Leaderless Task Force" });

        created["leadId"].Should().BeNull();
    }

    [Fact]
    public async Task RejectsADuplicateNameInAnyCaseWithConflictKeyedByName()
    {
        await _client.CreateAsync("/api/v1/task-forces", new { name = "Technology Transfer Task Force" });
        var before = await factory.SnapshotAsync();

        var response = await _client.PostJsonAsync("/api/v1/task-forces", """{"name":"TECHNOLOGY transfer task force"}""");

        await response.ShouldBeProblem(HttpStatusCode.Conflict, "name");
        (await factory.SnapshotAsync()).Should().Be(before);
    }

    [Fact]
    public async Task RejectsRenamingOntoAnotherTaskForcesName()
    {
        await _client.CreateAsync("/api/v1/task-forces", new { name = "Base Platforms Task Force" });
        var renamed = await _client.CreateAsync("/api/v1/task-forces", new { name = "Soon renamed" });
        var before = await factory.SnapshotAsync();

        var response = await _client.PutJsonAsync($"/api/v1/task-forces/{renamed["id"]}", """{"name":"base platforms task force"}""");

        await response.ShouldBeProblem(HttpStatusCode.Conflict, "name");
        (await factory.SnapshotAsync()).Should().Be(before);
    }

    [Fact]
    public async Task RejectsAnUnknownLeadKeyedByLeadIdAndWritesNothing()
    {
        var before = await factory.SnapshotAsync();

        var response = await _client.PostJsonAsync("/api/v1/task-forces", """{"name":"Ghost-led Task Force","leadId":999999}""");

        await response.ShouldBeProblem(HttpStatusCode.BadRequest, "leadId");
        (await factory.SnapshotAsync()).Should().Be(before);
    }

    [Fact]
    public async Task RejectsADeletedOwnerAsLead()
    {
        var gone = await NewOwnerAsync("Departed lead");
        (await _client.DeleteAsync($"/api/v1/owners/{gone}")).StatusCode.Should().Be(HttpStatusCode.NoContent);

        var response = await _client.PostJsonAsync("/api/v1/task-forces", $$"""{"name":"Archived-led Task Force","leadId":{{gone}}}""");

        await response.ShouldBeProblem(HttpStatusCode.BadRequest, "leadId");
    }

    [Fact]
    public async Task RejectsAMissingName()
    {
        await (await _client.PostJsonAsync("/api/v1/task-forces", """{"mandate":"No name"}""")).ShouldBeProblem(HttpStatusCode.BadRequest, "name");
    }

    [Fact]
    public async Task ListsByLeadSortedByName()
    {
        var lead = await NewOwnerAsync("Lead of two");
        await _client.CreateAsync("/api/v1/task-forces", new { name = "Zeta listing", leadId = lead });
        await _client.CreateAsync("/api/v1/task-forces", new { name = "alpha listing", leadId = lead });
        await _client.CreateAsync("/api/v1/task-forces", new { name = "Beta listing, other lead" });

        var byName = await (await _client.GetAsync($"/api/v1/task-forces?leadId={lead}")).ShouldBe(HttpStatusCode.OK);
        var descending = await (await _client.GetAsync($"/api/v1/task-forces?leadId={lead}&sort=-name&pageSize=1")).ShouldBe(HttpStatusCode.OK);

        byName["totalCount"]!.GetValue<long>().Should().Be(2);
        Names(byName).Should().Equal("alpha listing", "Zeta listing");
        descending["totalCount"]!.GetValue<long>().Should().Be(2);
        Names(descending).Should().Equal("Zeta listing");
    }

    [Fact]
    public async Task UpdatesATaskForce()
    {
        var lead = await NewOwnerAsync("New lead");
        var created = await _client.CreateAsync("/api/v1/task-forces", new { name = "Draft Task Force", mandate = "Draft" });
        var url = $"/api/v1/task-forces/{created["id"]}";

        var response = await _client.SendJsonAsync(HttpMethod.Put, url,
            $$"""{"name":"Final Task Force","leadId":{{lead}}}""", ifMatch: "\"1\"");

        var body = await response.ShouldBe(HttpStatusCode.OK);
        response.Headers.ETag!.Tag.Should().Be("\"2\"");
        body["name"]!.GetValue<string>().Should().Be("Final Task Force");
        body["mandate"].Should().BeNull("PUT replaces every field");
        body["leadId"]!.GetValue<long>().Should().Be(lead);
        (await factory.ScalarAsync<string>("SELECT name FROM task_forces WHERE id = @id", new { id = created["id"]!.GetValue<long>() }))
            .Should().Be("Final Task Force");
    }

    [Fact]
    public async Task RejectsAStaleIfMatchAndChangesNothing()
    {
        var created = await _client.CreateAsync("/api/v1/task-forces", new { name = "Contested Task Force" });
        var url = $"/api/v1/task-forces/{created["id"]}";
        var before = await factory.SnapshotAsync();

        await (await _client.SendJsonAsync(HttpMethod.Put, url, """{"name":"Overwritten"}""", ifMatch: "\"3\""))
            .ShouldBeProblem(HttpStatusCode.PreconditionFailed);
        await (await _client.SendJsonAsync(HttpMethod.Delete, url, null, ifMatch: "\"3\""))
            .ShouldBeProblem(HttpStatusCode.PreconditionFailed);

        (await factory.SnapshotAsync()).Should().Be(before);
    }

    [Fact]
    public async Task AnswersNotFoundForAMissingTaskForce()
    {
        await (await _client.GetAsync("/api/v1/task-forces/999999")).ShouldBeProblem(HttpStatusCode.NotFound);
        await (await _client.PutJsonAsync("/api/v1/task-forces/999999", """{"name":"Nobody"}""")).ShouldBeProblem(HttpStatusCode.NotFound);
        await (await _client.DeleteAsync("/api/v1/task-forces/999999")).ShouldBeProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task DeletingDetachesOpenInitiativesAndKeepsClosedOnesForHistory()
    {
        var owner = await NewOwnerAsync("Initiative holder");
        var taskForce = await _client.CreateAsync("/api/v1/task-forces", new { name = "Dissolved Task Force", leadId = owner });
        var id = taskForce["id"]!.GetValue<long>();
        var planned = await NewInitiativeAsync(owner, id, "Still planned");
        var inProgress = await NewInitiativeAsync(owner, id, "Under way");
        var blocked = await NewInitiativeAsync(owner, id, "Stuck");
        var done = await NewInitiativeAsync(owner, id, "Finished");
        var cancelled = await NewInitiativeAsync(owner, id, "Dropped");
        // Check-ins are the route to these states; set them directly until that route exists.
        await factory.ExecuteAsync("UPDATE initiatives SET status = 'in_progress' WHERE id = @inProgress", new { inProgress });
        await factory.ExecuteAsync("UPDATE initiatives SET status = 'blocked' WHERE id = @blocked", new { blocked });
        await factory.ExecuteAsync("UPDATE initiatives SET status = 'done', progress = 100, completed_on = '2026-03-09' WHERE id = @done", new { done });
        await factory.ExecuteAsync("UPDATE initiatives SET status = 'cancelled' WHERE id = @cancelled", new { cancelled });
        factory.Clock.Advance(TimeSpan.FromMinutes(1));

        var response = await _client.DeleteAsync($"/api/v1/task-forces/{id}");

        response.StatusCode.Should().Be(HttpStatusCode.NoContent);
        await (await _client.GetAsync($"/api/v1/task-forces/{id}")).ShouldBeProblem(HttpStatusCode.NotFound);
        foreach (var open in new[] { planned, inProgress, blocked })
        {
            var initiative = await (await _client.GetAsync($"/api/v1/initiatives/{open}")).ShouldBe(HttpStatusCode.OK);
            initiative["taskForceId"].Should().BeNull("an open initiative is detached from a dissolved task force");
            initiative["version"]!.GetValue<long>().Should().Be(2);
            initiative["updatedAt"]!.GetValue<string>().Should().Be(factory.Now());
            (await factory.ScalarAsync<string>(
                "SELECT changes FROM audit_entries WHERE entity_type = 'initiative' AND entity_id = @open AND action = 'update'", new { open }))
                .Should().Be($$$"""{"taskForceId":{"before":{{{id}}},"after":null}}""");
        }

        foreach (var closed in new[] { done, cancelled })
        {
            var initiative = await (await _client.GetAsync($"/api/v1/initiatives/{closed}")).ShouldBe(HttpStatusCode.OK);
            initiative["taskForceId"]!.GetValue<long>().Should().Be(id, "a closed initiative keeps its task force for history");
            initiative["version"]!.GetValue<long>().Should().Be(1);
        }

        (await factory.ScalarAsync<long>(
            "SELECT COUNT(*) FROM audit_entries WHERE entity_type = 'task_force' AND entity_id = @id AND action = 'delete' AND actor = 'bootstrap'", new { id }))
            .Should().Be(1);
        (await factory.ScalarAsync<long>("SELECT COUNT(*) FROM task_forces WHERE id = @id AND deleted_at IS NOT NULL", new { id }))
            .Should().Be(1, "the task force is archived, so closed initiatives still point at a row");
    }

    [Fact]
    public async Task ADeletedTaskForceLeavesTheListFreesItsNameAndCannotBeReferenced()
    {
        var owner = await NewOwnerAsync("Referrer");
        var taskForce = await _client.CreateAsync("/api/v1/task-forces", new { name = "Recycled Name Task Force" });
        var id = taskForce["id"]!.GetValue<long>();

        (await _client.DeleteAsync($"/api/v1/task-forces/{id}")).StatusCode.Should().Be(HttpStatusCode.NoContent);

        var list = await (await _client.GetAsync("/api/v1/task-forces?pageSize=200")).ShouldBe(HttpStatusCode.OK);
        list["items"]!.AsArray().Select(i => i!["id"]!.GetValue<long>()).Should().NotContain(id);
        await _client.CreateAsync("/api/v1/task-forces", new { name = "Recycled Name Task Force" });
        await (await _client.PostJsonAsync("/api/v1/initiatives",
                $$"""{"directionId":1,"ownerId":{{owner}},"taskForceId":{{id}},"title":"Late joiner","deadline":"2026-09-01"}"""))
            .ShouldBeProblem(HttpStatusCode.BadRequest, "taskForceId");
    }

    private async Task<long> NewOwnerAsync(string name)
    {
        var owner = await _client.CreateAsync("/api/v1/owners", new { name });
        return owner["id"]!.GetValue<long>();
    }

    private async Task<long> NewInitiativeAsync(long ownerId, long taskForceId, string title)
    {
        var initiative = await _client.CreateAsync("/api/v1/initiatives", new { directionId = 2, ownerId, taskForceId, title, deadline = "2026-10-01" });
        return initiative["id"]!.GetValue<long>();
    }

    private static IEnumerable<string> Names(JsonNode page) => page["items"]!.AsArray().Select(i => i!["name"]!.GetValue<string>());
}
