using System.Net;
using InitiativeTracker.Api.Tests.Infrastructure;

namespace InitiativeTracker.Api.Tests.Features.Initiatives;

public sealed class CreateInitiativeTests(TrackerFactory factory) : IClassFixture<TrackerFactory>
{
    private readonly HttpClient _client = factory.Admin();

    [Fact]
    public async Task CreatesAPlannedInitiativeAtZeroProgressOnTrack()
    {
        var owner = await NewOwnerAsync("Li Na");
        var taskForce = await _client.CreateAsync("/api/v1/task-forces", new { name = "Technology Transfer Task Force", leadId = owner });
        var taskForceId = taskForce["id"]!.GetValue<long>();

        var response = await _client.PostJsonAsync("/api/v1/initiatives", $$"""
            {"directionId":2,"ownerId":{{owner}},"taskForceId":{{taskForceId}},"title":"Joint technology transfer center in Almaty",
             "description":"With two partner universities","startDate":"2026-01-15","deadline":"2026-12-31"}
            """);

        var body = await response.ShouldBe(HttpStatusCode.Created);
        var id = body["id"]!.GetValue<long>();
        response.Headers.Location!.ToString().Should().Be($"/api/v1/initiatives/{id}");
        response.Headers.ETag!.Tag.Should().Be("\"1\"");
        body["directionId"]!.GetValue<long>().Should().Be(2);
        body["ownerId"]!.GetValue<long>().Should().Be(owner);
        body["taskForceId"]!.GetValue<long>().Should().Be(taskForceId);
        body["title"]!.GetValue<string>().Should().Be("Joint technology transfer center in Almaty");
        body["description"]!.GetValue<string>().Should().Be("With two partner universities");
        body["startDate"]!.GetValue<string>().Should().Be("2026-01-15");
        body["deadline"]!.GetValue<string>().Should().Be("2026-12-31");
        body["originalDeadline"]!.GetValue<string>().Should().Be("2026-12-31");
        body["status"]!.GetValue<string>().Should().Be("planned");
        body["progress"]!.GetValue<int>().Should().Be(0);
        body["health"]!.GetValue<string>().Should().Be("on_track");
        body["completedOn"].Should().BeNull();
        body["lastCheckInAt"].Should().BeNull();
        body["deadlineChanges"]!.GetValue<int>().Should().Be(0);
        body["isOverdue"]!.GetValue<bool>().Should().BeFalse();
        body["daysOverdue"]!.GetValue<int>().Should().Be(0);
        body["daysUntilDeadline"]!.GetValue<int>().Should().Be(296, "2026-03-10 to 2026-12-31");
        body["version"]!.GetValue<long>().Should().Be(1);
        body["createdAt"]!.GetValue<string>().Should().Be(factory.Now());
        body["updatedAt"]!.GetValue<string>().Should().Be(factory.Now());

        var fetched = await (await _client.GetAsync($"/api/v1/initiatives/{id}")).ShouldBe(HttpStatusCode.OK);
        fetched.ToJsonString().Should().Be(body.ToJsonString());
        (await factory.ScalarAsync<string>("SELECT status || '/' || progress || '/' || health || '/' || original_deadline FROM initiatives WHERE id = @id", new { id }))
            .Should().Be("planned/0/on_track/2026-12-31");
        (await factory.ScalarAsync<long>(
            "SELECT COUNT(*) FROM audit_entries WHERE entity_type = 'initiative' AND entity_id = @id AND action = 'create' AND actor = 'bootstrap'", new { id }))
            .Should().Be(1);
    }

    [Fact]
    public async Task CreatesAnInitiativeWithOnlyTheRequiredFieldsAndATrimmedTitle()
    {
        var owner = await NewOwnerAsync("Minimalist");

        var created = await _client.CreateAsync("/api/v1/initiatives", new { directionId = 1, ownerId = owner, title = "  Padded title  ", deadline = "2026-04-30" });

        created["title"]!.GetValue<string>().Should().Be("Padded title");
        created["taskForceId"].Should().BeNull();
        created["description"].Should().BeNull();
        created["startDate"].Should().BeNull();
    }

    [Theory]
    [InlineData("directionId")]
    [InlineData("ownerId")]
    [InlineData("taskForceId")]
    public async Task RejectsAReferenceToAMissingRowKeyedByThatFieldAndWritesNothing(string field)
    {
        var owner = await NewOwnerAsync("Referenced");
        var fields = new Dictionary<string, object> { ["directionId"] = 1, ["ownerId"] = owner, ["title"] = "Dangling", ["deadline"] = "2026-08-01" };
        fields[field] = 999_999;
        var before = await factory.SnapshotAsync();

        var response = await _client.PostAsync("/api/v1/initiatives", System.Net.Http.Json.JsonContent.Create(fields));

        var problem = await response.ShouldBeProblem(HttpStatusCode.BadRequest, field);
        problem["errors"]![field]![0]!.GetValue<string>().Should().Contain("999999");
        (await factory.SnapshotAsync()).Should().Be(before);
    }

    [Fact]
    public async Task ReportsEveryMissingReferenceAtOnce()
    {
        var before = await factory.SnapshotAsync();

        var response = await _client.PostJsonAsync("/api/v1/initiatives",
            """{"directionId":999999,"ownerId":999998,"taskForceId":999997,"title":"Dangling thrice","deadline":"2026-12-31"}""");

        var problem = await response.ShouldBeProblem(HttpStatusCode.BadRequest);
        problem["errors"]!.AsObject().Select(e => e.Key).Should().BeEquivalentTo("directionId", "ownerId", "taskForceId");
        problem["errors"]!["ownerId"]![0]!.GetValue<string>().Should().Be("No owner with id 999998 exists.");
        problem["errors"]!["taskForceId"]![0]!.GetValue<string>().Should().Be("No task force with id 999997 exists.");
        (await factory.SnapshotAsync()).Should().Be(before);
    }

    [Theory]
    [InlineData("status", "\"done\"", "/check-ins")]
    [InlineData("progress", "50", "/check-ins")]
    [InlineData("health", "\"at_risk\"", "/check-ins")]
    [InlineData("completedOn", "\"2026-03-01\"", "/check-ins")]
    [InlineData("originalDeadline", "\"2026-06-30\"", "/deadline")]
    public async Task RejectsAStateFieldOtherThanANewInitiativesNamingTheRouteToUse(string field, string value, string route)
    {
        var owner = await NewOwnerAsync("Eager");
        var before = await factory.SnapshotAsync();

        var response = await _client.PostJsonAsync("/api/v1/initiatives",
            $$"""{"directionId":1,"ownerId":{{owner}},"title":"Born finished","deadline":"2026-12-31","{{field}}":{{value}}}""");

        var problem = await response.ShouldBeProblem(HttpStatusCode.BadRequest, field);
        problem["errors"]!.AsObject().Select(e => e.Key).Should().Equal(field);
        problem["errors"]![field]![0]!.GetValue<string>().Should().Contain($"/api/v1/initiatives/{{id}}{route}");
        (await factory.SnapshotAsync()).Should().Be(before);
    }

    [Fact]
    public async Task AcceptsTheStateFieldsAtANewInitiativesValues()
    {
        var owner = await NewOwnerAsync("Templated");

        var created = await _client.CreateAsync("/api/v1/initiatives", new
        {
            directionId = 1, ownerId = owner, title = "From a template", deadline = "2026-12-31",
            status = "planned", progress = 0, health = "on_track", completedOn = (string?)null, originalDeadline = "2026-12-31",
        });

        created["status"]!.GetValue<string>().Should().Be("planned");
        created["originalDeadline"]!.GetValue<string>().Should().Be("2026-12-31");
    }

    [Fact]
    public async Task RejectsAnArchivedOwner()
    {
        var owner = await NewOwnerAsync("Archived");
        (await _client.DeleteAsync($"/api/v1/owners/{owner}")).StatusCode.Should().Be(HttpStatusCode.NoContent);

        var response = await _client.PostJsonAsync("/api/v1/initiatives",
            $$"""{"directionId":1,"ownerId":{{owner}},"title":"For nobody","deadline":"2026-08-01"}""");

        await response.ShouldBeProblem(HttpStatusCode.BadRequest, "ownerId");
    }

    [Fact]
    public async Task RejectsAStartDateAfterTheDeadline()
    {
        var owner = await NewOwnerAsync("Impatient");
        var before = await factory.SnapshotAsync();

        var response = await _client.PostJsonAsync("/api/v1/initiatives",
            $$"""{"directionId":1,"ownerId":{{owner}},"title":"Backwards","startDate":"2026-09-02","deadline":"2026-09-01"}""");

        await response.ShouldBeProblem(HttpStatusCode.BadRequest, "startDate");
        (await factory.SnapshotAsync()).Should().Be(before);
    }

    [Fact]
    public async Task AcceptsAStartDateOnTheDeadline()
    {
        var owner = await NewOwnerAsync("One-day");

        var created = await _client.CreateAsync("/api/v1/initiatives",
            new { directionId = 1, ownerId = owner, title = "One-day workshop", startDate = "2026-09-01", deadline = "2026-09-01" });

        created["startDate"]!.GetValue<string>().Should().Be("2026-09-01");
    }

    [Fact]
    public async Task RejectsMissingRequiredFieldsNamingEach()
    {
        var before = await factory.SnapshotAsync();

        var response = await _client.PostJsonAsync("/api/v1/initiatives", """{"description":"Nothing else"}""");

        await response.ShouldBeProblem(HttpStatusCode.BadRequest, "directionId", "ownerId", "title", "deadline");
        (await factory.SnapshotAsync()).Should().Be(before);
    }

    [Fact]
    public async Task AnswersNotFoundForAMissingInitiative()
    {
        await (await _client.GetAsync("/api/v1/initiatives/999999")).ShouldBeProblem(HttpStatusCode.NotFound);
    }

    private async Task<long> NewOwnerAsync(string name)
    {
        var owner = await _client.CreateAsync("/api/v1/owners", new { name });
        return owner["id"]!.GetValue<long>();
    }
}
