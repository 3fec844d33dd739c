using System.Net;
using System.Text.Json.Nodes;
using InitiativeTracker.Api.Tests.Infrastructure;

namespace InitiativeTracker.Api.Tests.Features.Initiatives;

public sealed class UpdateInitiativeTests(TrackerFactory factory) : IClassFixture<TrackerFactory>
{
    private readonly HttpClient _client = factory.Admin();

    [Fact]
    public async Task AcceptsAGetBodyPutBackUnchanged()
    {
        var created = await NewInitiativeAsync();
        var url = Url(created);
        var fetched = await (await _client.GetAsync(url)).ShouldBe(HttpStatusCode.OK);

        var response = await _client.SendJsonAsync(HttpMethod.Put, url, fetched.ToJsonString(), ifMatch: "\"1\"");

        var body = await response.ShouldBe(HttpStatusCode.OK);
        response.Headers.ETag!.Tag.Should().Be("\"1\"", "a body that changes nothing is not a new version");
        foreach (var field in new[] { "directionId", "ownerId", "taskForceId", "title", "description", "startDate", "deadline", "status", "progress", "health" })
        {
            body[field]?.ToJsonString().Should().Be(fetched[field]?.ToJsonString(), "{0} was sent unchanged", field);
        }
    }

    [Fact]
    public async Task AcceptsAClosedInitiativesGetBodyAfterItsOwnerAndTaskForceWereArchived()
    {
        // Closed initiatives keep their archived owner and dissolved task force for history; they stay editable.
        var created = await NewInitiativeAsync();
        await factory.ExecuteAsync("UPDATE initiatives SET status = 'done', progress = 100, completed_on = '2026-03-09' WHERE id = @id",
            new { id = created["id"]!.GetValue<long>() });
        (await _client.DeleteAsync($"/api/v1/task-forces/{created["taskForceId"]}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await _client.DeleteAsync($"/api/v1/owners/{created["ownerId"]}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        var fetched = (await (await _client.GetAsync(Url(created))).ShouldBe(HttpStatusCode.OK)).AsObject();
        fetched["description"] = "Lessons learned added";

        var response = await _client.PutJsonAsync(Url(created), fetched.ToJsonString());

        var body = await response.ShouldBe(HttpStatusCode.OK);
        body["description"]!.GetValue<string>().Should().Be("Lessons learned added");
        body["ownerId"]!.GetValue<long>().Should().Be(created["ownerId"]!.GetValue<long>());
        body["taskForceId"]!.GetValue<long>().Should().Be(created["taskForceId"]!.GetValue<long>());
    }

    [Theory]
    [InlineData("PUT", "ownerId")]
    [InlineData("PUT", "taskForceId")]
    [InlineData("PATCH", "ownerId")]
    [InlineData("PATCH", "taskForceId")]
    public async Task RejectsAssigningAnArchivedOwnerOrTaskForceKeyedByTheFieldAsForAMissingRow(string method, string field)
    {
        var created = await NewInitiativeAsync();
        var archived = field == "ownerId"
            ? await NewOwnerAsync("Archived owner")
            : (await _client.CreateAsync("/api/v1/task-forces", new { name = $"Archived task force {Guid.NewGuid():N}" }))["id"]!.GetValue<long>();
        var resource = field == "ownerId" ? "owners" : "task-forces";
        (await _client.DeleteAsync($"/api/v1/{resource}/{archived}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        var before = await factory.SnapshotAsync();

        var response = method == "PUT"
            ? await _client.PutJsonAsync(Url(created), Body(created, $""" "{field}":{archived} """))
            : await _client.PatchMergeAsync(Url(created), $$"""{"{{field}}":{{archived}}}""");

        var problem = await response.ShouldBeProblem(HttpStatusCode.BadRequest, field);
        problem["errors"]![field]![0]!.GetValue<string>().Should().Contain($"with id {archived} exists", "an archived row reads as a missing one");
        (await factory.SnapshotAsync()).Should().Be(before);
    }

    [Fact]
    public async Task ReplacesTheDescriptiveFieldsAndAuditsTheChange()
    {
        var created = await NewInitiativeAsync();
        var id = created["id"]!.GetValue<long>();
        var newOwner = await NewOwnerAsync("Successor");
        factory.Clock.Advance(TimeSpan.FromSeconds(30));

        var response = await _client.PutJsonAsync(Url(created), $$"""
            {"directionId":3,"ownerId":{{newOwner}},"title":"Renamed","startDate":"2026-04-01"}
            """);

        var body = await response.ShouldBe(HttpStatusCode.OK);
        body["directionId"]!.GetValue<long>().Should().Be(3);
        body["ownerId"]!.GetValue<long>().Should().Be(newOwner);
        body["taskForceId"].Should().BeNull("PUT replaces every descriptive field");
        body["description"].Should().BeNull("PUT replaces every descriptive field");
        body["title"]!.GetValue<string>().Should().Be("Renamed");
        body["startDate"]!.GetValue<string>().Should().Be("2026-04-01");
        body["deadline"]!.GetValue<string>().Should().Be("2026-09-30", "the deadline does not change through PUT");
        body["version"]!.GetValue<long>().Should().Be(2);
        body["updatedAt"]!.GetValue<string>().Should().Be(factory.Now());
        body["createdAt"]!.GetValue<string>().Should().Be(created["createdAt"]!.GetValue<string>());
        (await factory.ScalarAsync<string>("SELECT title || '/' || owner_id || '/' || direction_id FROM initiatives WHERE id = @id", new { id }))
            .Should().Be($"Renamed/{newOwner}/3");
        var changes = JsonNode.Parse(await factory.ScalarAsync<string>(
            "SELECT changes FROM audit_entries WHERE entity_type = 'initiative' AND entity_id = @id AND action = 'update'", new { id }))!.AsObject();
        changes.Select(c => c.Key).Should().BeEquivalentTo(["directionId", "ownerId", "taskForceId", "title", "description", "startDate"]);
        changes["title"]!["before"]!.GetValue<string>().Should().Be("Original");
        changes["title"]!["after"]!.GetValue<string>().Should().Be("Renamed");
    }

    [Theory]
    [InlineData("status", "\"in_progress\"", "/check-ins")]
    [InlineData("progress", "40", "/check-ins")]
    [InlineData("health", "\"at_risk\"", "/check-ins")]
    [InlineData("deadline", "\"2027-01-31\"", "/deadline")]
    public async Task RejectsAChangedStateFieldNamingTheRouteToUse(string field, string value, string route)
    {
        var created = await NewInitiativeAsync();
        var fetched = (await (await _client.GetAsync(Url(created))).ShouldBe(HttpStatusCode.OK)).AsObject();
        fetched[field] = JsonNode.Parse(value);
        var before = await factory.SnapshotAsync();

        var response = await _client.PutJsonAsync(Url(created), fetched.ToJsonString());

        var problem = await response.ShouldBeProblem(HttpStatusCode.BadRequest, field);
        problem["errors"]![field]![0]!.GetValue<string>().Should().Contain($"/api/v1/initiatives/{created["id"]}{route}");
        (await factory.SnapshotAsync()).Should().Be(before);
    }

    [Fact]
    public async Task RejectsAStartDateAfterTheCurrentDeadline()
    {
        var created = await NewInitiativeAsync();
        var before = await factory.SnapshotAsync();

        var response = await _client.PutJsonAsync(Url(created), Body(created, """ "startDate":"2026-10-01" """));

        await response.ShouldBeProblem(HttpStatusCode.BadRequest, "startDate");
        (await factory.SnapshotAsync()).Should().Be(before);
    }

    [Theory]
    [InlineData("directionId")]
    [InlineData("ownerId")]
    [InlineData("taskForceId")]
    public async Task RejectsAReferenceToAMissingRowKeyedByThatField(string field)
    {
        var created = await NewInitiativeAsync();
        var before = await factory.SnapshotAsync();

        var response = await _client.PutJsonAsync(Url(created), Body(created, $""" "{field}":999999 """));

        await response.ShouldBeProblem(HttpStatusCode.BadRequest, field);
        (await factory.SnapshotAsync()).Should().Be(before);
    }

    [Fact]
    public async Task ReportsEveryProblemAtOnceStateFieldsStartDateAndReferences()
    {
        var created = await NewInitiativeAsync();
        var before = await factory.SnapshotAsync();

        var response = await _client.PutJsonAsync(Url(created),
            Body(created, """ "ownerId":999999, "taskForceId":999998, "startDate":"2026-10-01", "status":"done", "progress":40 """));

        var problem = await response.ShouldBeProblem(HttpStatusCode.BadRequest);
        problem["errors"]!.AsObject().Select(e => e.Key).Should().BeEquivalentTo("ownerId", "taskForceId", "startDate", "status", "progress");
        (await factory.SnapshotAsync()).Should().Be(before);
    }

    [Fact]
    public async Task RejectsAStaleIfMatchAndChangesNothing()
    {
        var created = await NewInitiativeAsync();
        await (await _client.PutJsonAsync(Url(created), Body(created, """ "title":"First writer" """))).ShouldBe(HttpStatusCode.OK);
        var before = await factory.SnapshotAsync();

        var response = await _client.SendJsonAsync(HttpMethod.Put, Url(created), Body(created, """ "title":"Second writer" """), ifMatch: "\"1\"");

        await response.ShouldBeProblem(HttpStatusCode.PreconditionFailed);
        (await factory.SnapshotAsync()).Should().Be(before);
    }

    [Theory]
    [InlineData("\"2\"")]
    [InlineData("*")]
    [InlineData("\"9\", \"2\"")]
    public async Task AcceptsAnIfMatchThatNamesTheCurrentVersion(string ifMatch)
    {
        var created = await NewInitiativeAsync();
        await (await _client.PutJsonAsync(Url(created), Body(created, """ "title":"Version two" """))).ShouldBe(HttpStatusCode.OK);

        var response = await _client.SendJsonAsync(HttpMethod.Put, Url(created), Body(created, """ "title":"Version three" """), ifMatch: ifMatch);

        (await response.ShouldBe(HttpStatusCode.OK))["version"]!.GetValue<long>().Should().Be(3);
    }

    [Theory]
    [InlineData("W/\"1\"")]
    [InlineData("\"one\"")]
    public async Task RejectsAWeakOrForeignIfMatch(string ifMatch)
    {
        var created = await NewInitiativeAsync();

        var response = await _client.SendJsonAsync(HttpMethod.Put, Url(created), Body(created, """ "title":"Never" """), ifMatch: ifMatch);

        await response.ShouldBeProblem(HttpStatusCode.PreconditionFailed);
    }

    [Fact]
    public async Task RejectsAMalformedIfMatchAsInvalidRatherThanStale()
    {
        var created = await NewInitiativeAsync();

        var response = await _client.SendJsonAsync(HttpMethod.Put, Url(created), Body(created, """ "title":"Never" """), ifMatch: "1");

        await response.ShouldBeProblem(HttpStatusCode.BadRequest, "If-Match");
    }

    [Fact]
    public async Task AnswersNotFoundForAMissingInitiative()
    {
        var owner = await NewOwnerAsync("Nobody's");

        var response = await _client.PutJsonAsync("/api/v1/initiatives/999999",
            $$"""{"directionId":1,"ownerId":{{owner}},"title":"Ghost","deadline":"2026-09-30"}""");

        await response.ShouldBeProblem(HttpStatusCode.NotFound);
    }

    private static string Url(JsonNode initiative) => $"/api/v1/initiatives/{initiative["id"]}";

    /// <summary>The created initiative's descriptive fields as a PUT body, with <paramref name="change"/> over them.</summary>
    private static string Body(JsonNode initiative, string change)
    {
        var body = new JsonObject
        {
            ["directionId"] = initiative["directionId"]!.DeepClone(),
            ["ownerId"] = initiative["ownerId"]!.DeepClone(),
            ["taskForceId"] = initiative["taskForceId"]?.DeepClone(),
            ["title"] = initiative["title"]!.DeepClone(),
            ["description"] = initiative["description"]?.DeepClone(),
            ["startDate"] = initiative["startDate"]?.DeepClone(),
        };
        foreach (var (name, value) in JsonNode.Parse($"{{{change}}}")!.AsObject())
        {
            body[name] = value?.DeepClone();
        }

        return body.ToJsonString();
    }

    private async Task<long> NewOwnerAsync(string name)
    {
        var owner = await _client.CreateAsync("/api/v1/owners", new { name });
        return owner["id"]!.GetValue<long>();
    }

    private async Task<JsonNode> NewInitiativeAsync()
    {
        var owner = await NewOwnerAsync("Updater");
        var taskForce = await _client.CreateAsync("/api/v1/task-forces", new { name = $"Update task force {owner}", leadId = owner });
        return await _client.CreateAsync("/api/v1/initiatives", new
        {
            directionId = 1,
            ownerId = owner,
            taskForceId = taskForce["id"]!.GetValue<long>(),
            title = "Original",
            description = "First description",
            startDate = "2026-03-01",
            deadline = "2026-09-30",
        });
    }
}
