using System.Net;
using System.Text.Json.Nodes;
using InitiativeTracker.Api.Tests.Infrastructure;

namespace InitiativeTracker.Api.Tests.Features.Initiatives;

public sealed class PatchInitiativeTests(TrackerFactory factory) : IClassFixture<TrackerFactory>
{
    private readonly HttpClient _client = factory.Admin();

    [Fact]
    public async Task ChangesOnlyTheFieldsSent()
    {
        var created = await NewInitiativeAsync();

        var response = await _client.PatchMergeAsync(Url(created), """{"description":"With two partner universities"}""", ifMatch: "\"1\"");

        var body = await response.ShouldBe(HttpStatusCode.OK);
        response.Headers.ETag!.Tag.Should().Be("\"2\"");
        body["description"]!.GetValue<string>().Should().Be("With two partner universities");
        foreach (var field in new[] { "directionId", "ownerId", "taskForceId", "title", "startDate", "deadline", "status", "progress", "health" })
        {
            body[field]!.ToJsonString().Should().Be(created[field]!.ToJsonString(), "{0} was not in the patch", field);
        }

        var changes = await factory.ScalarAsync<string>(
            "SELECT changes FROM audit_entries WHERE entity_type = 'initiative' AND entity_id = @id AND action = 'update'", new { id = Id(created) });
        JsonNode.Parse(changes)!.AsObject().Select(c => c.Key).Should().Equal("description");
    }

    [Fact]
    public async Task ClearsOptionalFieldsSentAsNull()
    {
        var created = await NewInitiativeAsync();

        var response = await _client.PatchMergeAsync(Url(created), """{"taskForceId":null,"description":null,"startDate":null}""");

        var body = await response.ShouldBe(HttpStatusCode.OK);
        body["taskForceId"].Should().BeNull();
        body["description"].Should().BeNull();
        body["startDate"].Should().BeNull();
        body["title"]!.GetValue<string>().Should().Be("Patchable");
        (await factory.ScalarAsync<long>(
            "SELECT COUNT(*) FROM initiatives WHERE id = @id AND task_force_id IS NULL AND description IS NULL AND start_date IS NULL", new { id = Id(created) }))
            .Should().Be(1);
    }

    [Fact]
    public async Task AcceptsAPlainJsonContentTypeToo()
    {
        var created = await NewInitiativeAsync();

        var response = await _client.SendJsonAsync(HttpMethod.Patch, Url(created), """{"title":"Plain JSON"}""");

        (await response.ShouldBe(HttpStatusCode.OK))["title"]!.GetValue<string>().Should().Be("Plain JSON");
    }

    [Fact]
    public async Task AcceptsStateFieldsSentUnchanged()
    {
        var created = await NewInitiativeAsync();

        var response = await _client.PatchMergeAsync(Url(created),
            """{"title":"Same state","status":"planned","progress":0,"health":"on_track","deadline":"2026-11-30"}""");

        (await response.ShouldBe(HttpStatusCode.OK))["title"]!.GetValue<string>().Should().Be("Same state");
    }

    [Fact]
    public async Task PatchesAClosedInitiativeWhoseOwnerAndTaskForceWereArchived()
    {
        var created = await NewInitiativeAsync();
        await factory.ExecuteAsync("UPDATE initiatives SET status = 'cancelled' WHERE id = @id", new { id = Id(created) });
        (await _client.DeleteAsync($"/api/v1/task-forces/{created["taskForceId"]}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await _client.DeleteAsync($"/api/v1/owners/{created["ownerId"]}")).StatusCode.Should().Be(HttpStatusCode.NoContent);

        var response = await _client.PatchMergeAsync(Url(created), """{"description":"Why it was cancelled"}""");

        (await response.ShouldBe(HttpStatusCode.OK))["description"]!.GetValue<string>().Should().Be("Why it was cancelled");
    }

    [Theory]
    [InlineData("""{"title":null}""", "title")]
    [InlineData("""{"title":""}""", "title")]
    [InlineData("""{"directionId":null}""", "directionId")]
    [InlineData("""{"ownerId":"2"}""", "ownerId")]
    [InlineData("""{"taskForceId":[1]}""", "taskForceId")]
    [InlineData("""{"startDate":"2026-02-30"}""", "startDate")]
    [InlineData("""{"startDate":"2026-12-01"}""", "startDate")]
    [InlineData("""{"description":{"text":"nested"}}""", "description")]
    [InlineData("""{"ownerId":999999}""", "ownerId")]
    [InlineData("""{"status":"done"}""", "status")]
    [InlineData("""{"status":"finished"}""", "status")]
    [InlineData("""{"progress":50}""", "progress")]
    [InlineData("""{"health":"off_track"}""", "health")]
    [InlineData("""{"deadline":"2027-01-01"}""", "deadline")]
    public async Task RejectsAnInvalidPatchKeyedByTheFieldAndChangesNothing(string patch, string field)
    {
        var created = await NewInitiativeAsync();
        var before = await factory.SnapshotAsync();

        var response = await _client.PatchMergeAsync(Url(created), patch);

        await response.ShouldBeProblem(HttpStatusCode.BadRequest, field);
        (await factory.SnapshotAsync()).Should().Be(before);
    }

    [Fact]
    public async Task ReportsTheFieldRulesAndTheReferencesOfAPatchTogether()
    {
        var created = await NewInitiativeAsync();
        var before = await factory.SnapshotAsync();

        var response = await _client.PatchMergeAsync(Url(created), """{"title":"","directionId":999999,"ownerId":0,"health":"at_risk"}""");

        var problem = await response.ShouldBeProblem(HttpStatusCode.BadRequest);
        problem["errors"]!.AsObject().Select(e => e.Key).Should().BeEquivalentTo("title", "directionId", "ownerId", "health");
        problem["errors"]!["directionId"]![0]!.GetValue<string>().Should().Be("No direction with id 999999 exists.");
        problem["errors"]!["ownerId"]!.AsArray().Select(m => m!.GetValue<string>()).Should().Equal(["'ownerId' is required: the id of an owner, a whole number above 0."],
            "a field that broke a rule is not looked up as well");
        (await factory.SnapshotAsync()).Should().Be(before);
    }

    [Theory]
    [InlineData("status", "/check-ins")]
    [InlineData("deadline", "/deadline")]
    public async Task NamesTheRouteThatChangesAStateField(string field, string route)
    {
        var created = await NewInitiativeAsync();
        var patch = field == "status" ? """{"status":"in_progress"}""" : """{"deadline":"2027-03-01"}""";

        var problem = await (await _client.PatchMergeAsync(Url(created), patch)).ShouldBeProblem(HttpStatusCode.BadRequest, field);

        problem["errors"]![field]![0]!.GetValue<string>().Should().Contain($"/api/v1/initiatives/{Id(created)}{route}");
    }

    [Fact]
    public async Task RejectsAStaleIfMatchAndChangesNothing()
    {
        var created = await NewInitiativeAsync();
        await (await _client.PatchMergeAsync(Url(created), """{"title":"First writer"}""")).ShouldBe(HttpStatusCode.OK);
        var before = await factory.SnapshotAsync();

        var response = await _client.PatchMergeAsync(Url(created), """{"title":"Second writer"}""", ifMatch: "\"1\"");

        await response.ShouldBeProblem(HttpStatusCode.PreconditionFailed);
        (await factory.SnapshotAsync()).Should().Be(before);
    }

    [Fact]
    public async Task AnswersNotFoundForAMissingInitiative()
    {
        await (await _client.PatchMergeAsync("/api/v1/initiatives/999999", """{"title":"Ghost"}""")).ShouldBeProblem(HttpStatusCode.NotFound);
    }

    private static long Id(JsonNode initiative) => initiative["id"]!.GetValue<long>();

    private static string Url(JsonNode initiative) => $"/api/v1/initiatives/{Id(initiative)}";

    private async Task<JsonNode> NewInitiativeAsync()
    {
        var owner = await _client.CreateAsync("/api/v1/owners", new { name = "Patcher" });
        var ownerId = owner["id"]!.GetValue<long>();
        var taskForce = await _client.CreateAsync("/api/v1/task-forces", new { name = $"Patch task force {ownerId}", leadId = ownerId });
        return await _client.CreateAsync("/api/v1/initiatives", new
        {
            directionId = 2,
            ownerId,
            taskForceId = taskForce["id"]!.GetValue<long>(),
            title = "Patchable",
            description = "Before the patch",
            startDate = "2026-03-01",
            deadline = "2026-11-30",
        });
    }
}
