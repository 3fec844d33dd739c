using System.Net;
using System.Text.Json.Nodes;
using InitiativeTracker.Api.Tests.Infrastructure;

namespace InitiativeTracker.Api.Tests.Features.Directions;

/// <summary>Only the seeded June 5 meeting has directions 1–3; every other test adds a meeting of its own.</summary>
public sealed class DirectionTests(TrackerFactory factory) : IClassFixture<TrackerFactory>
{
    private readonly HttpClient _client = factory.Admin();

    [Fact]
    public async Task ListsTheSeededDirectionsOfTheJuneFifthMeetingInNumberOrder()
    {
        var body = await (await _client.GetAsync("/api/v1/directions?meetingId=1")).ShouldBe(HttpStatusCode.OK);

        body["totalCount"]!.GetValue<long>().Should().Be(3);
        var items = body["items"]!.AsArray();
        items.Select(i => i!["number"]!.GetValue<int>()).Should().Equal(1, 2, 3);
        items.Select(i => i!["meetingId"]!.GetValue<long>()).Should().AllBeEquivalentTo(1);
        items[0]!["title"]!.GetValue<string>().Should().StartWith("Use the University Alliance of the Silk Road (UASR) as a platform");
        items[1]!["title"]!.GetValue<string>().Should().StartWith("Look beyond the UASR");
        items[2]!["title"]!.GetValue<string>().Should().StartWith("Form a unified strategy with a global perspective");
    }

    [Fact]
    public async Task FiltersByMeeting()
    {
        var meeting = await NewMeetingAsync();
        var other = await NewMeetingAsync();
        await CreateDirectionAsync(meeting, 2, "Second");
        await CreateDirectionAsync(meeting, 1, "First");
        await CreateDirectionAsync(other, 1, "Elsewhere");

        var body = await (await _client.GetAsync($"/api/v1/directions?meetingId={meeting}")).ShouldBe(HttpStatusCode.OK);

        body["totalCount"]!.GetValue<long>().Should().Be(2);
        body["items"]!.AsArray().Select(i => i!["title"]!.GetValue<string>()).Should().Equal("First", "Second");
    }

    [Fact]
    public async Task SortsAndPagesAcrossMeetings()
    {
        var meeting = await NewMeetingAsync();
        foreach (var (number, title) in new[] { (1, "Paged Cc"), (2, "Paged Aa"), (3, "Paged Bb") })
        {
            await CreateDirectionAsync(meeting, number, title);
        }

        var body = await (await _client.GetAsync($"/api/v1/directions?meetingId={meeting}&sort=title&pageSize=2&page=2")).ShouldBe(HttpStatusCode.OK);

        body["totalCount"]!.GetValue<long>().Should().Be(3);
        body["page"]!.GetValue<int>().Should().Be(2);
        body["items"]!.AsArray().Select(i => i!["title"]!.GetValue<string>()).Should().Equal("Paged Cc");
    }

    [Fact]
    public async Task CreatesADirectionWithLocationETagAndAudit()
    {
        var meeting = await NewMeetingAsync();

        var response = await _client.PostJsonAsync("/api/v1/directions",
            $$"""{"meetingId":{{meeting}},"number":4,"title":"Cultural exchange","description":"Summer schools"}""");

        var body = await response.ShouldBe(HttpStatusCode.Created);
        var id = body["id"]!.GetValue<long>();
        response.Headers.Location!.ToString().Should().Be($"/api/v1/directions/{id}");
        response.Headers.ETag!.Tag.Should().Be("\"1\"");
        body["meetingId"]!.GetValue<long>().Should().Be(meeting);
        body["number"]!.GetValue<int>().Should().Be(4);
        body["title"]!.GetValue<string>().Should().Be("Cultural exchange");
        body["description"]!.GetValue<string>().Should().Be("Summer schools");
        var fetched = await (await _client.GetAsync($"/api/v1/directions/{id}")).ShouldBe(HttpStatusCode.OK);
        fetched.ToJsonString().Should().Be(body.ToJsonString());
        (await factory.ScalarAsync<long>(
            "SELECT COUNT(*) FROM audit_entries WHERE entity_type = 'direction' AND entity_id = @id AND action = 'create'", new { id }))
            .Should().Be(1);
    }

    [Fact]
    public async Task RejectsANumberAlreadyUsedInTheSameMeetingWithConflictKeyedByNumber()
    {
        var meeting = await NewMeetingAsync();
        await CreateDirectionAsync(meeting, 1, "Taken");
        var audit = await AuditCountAsync();

        var response = await _client.PostJsonAsync("/api/v1/directions", $$"""{"meetingId":{{meeting}},"number":1,"title":"Clash"}""");

        await response.ShouldBeProblem(HttpStatusCode.Conflict, "number");
        (await factory.ScalarAsync<long>("SELECT COUNT(*) FROM directions WHERE meeting_id = @meeting", new { meeting })).Should().Be(1);
        (await AuditCountAsync()).Should().Be(audit);
    }

    [Fact]
    public async Task AllowsTheSameNumberInAnotherMeeting()
    {
        var meeting = await NewMeetingAsync();

        var created = await CreateDirectionAsync(meeting, 1, "Number one again");

        created["number"]!.GetValue<int>().Should().Be(1);
    }

    [Fact]
    public async Task RejectsAMissingMeetingKeyedByMeetingIdAndWritesNothing()
    {
        var before = await factory.SnapshotAsync();

        var response = await _client.PostJsonAsync("/api/v1/directions", """{"meetingId":999999,"number":1,"title":"Orphan"}""");

        await response.ShouldBeProblem(HttpStatusCode.BadRequest, "meetingId");
        (await factory.SnapshotAsync()).Should().Be(before);
    }

    [Fact]
    public async Task RejectsMissingFieldsNamingEach()
    {
        var response = await _client.PostJsonAsync("/api/v1/directions", """{"description":"No meeting, number or title"}""");

        await response.ShouldBeProblem(HttpStatusCode.BadRequest, "meetingId", "number", "title");
    }

    [Fact]
    public async Task UpdatesADirection()
    {
        var meeting = await NewMeetingAsync();
        var created = await CreateDirectionAsync(meeting, 1, "Old title");
        var url = $"/api/v1/directions/{created["id"]}";

        var response = await _client.SendJsonAsync(HttpMethod.Put, url,
            $$"""{"meetingId":{{meeting}},"number":7,"title":"New title"}""", ifMatch: "\"1\"");

        var body = await response.ShouldBe(HttpStatusCode.OK);
        response.Headers.ETag!.Tag.Should().Be("\"2\"");
        body["number"]!.GetValue<int>().Should().Be(7);
        body["title"]!.GetValue<string>().Should().Be("New title");
        body["version"]!.GetValue<long>().Should().Be(2);
        (await factory.ScalarAsync<long>("SELECT number FROM directions WHERE id = @id", new { id = created["id"]!.GetValue<long>() }))
            .Should().Be(7);
    }

    [Fact]
    public async Task RejectsAnUpdateOntoATakenNumberWithConflictAndChangesNothing()
    {
        var meeting = await NewMeetingAsync();
        await CreateDirectionAsync(meeting, 1, "Holder");
        var mover = await CreateDirectionAsync(meeting, 2, "Mover");
        var before = await factory.SnapshotAsync();

        var response = await _client.PutJsonAsync($"/api/v1/directions/{mover["id"]}", $$"""{"meetingId":{{meeting}},"number":1,"title":"Mover"}""");

        await response.ShouldBeProblem(HttpStatusCode.Conflict, "number");
        (await factory.SnapshotAsync()).Should().Be(before);
    }

    [Fact]
    public async Task RejectsAnUpdateToAMissingMeetingAndAStaleIfMatch()
    {
        var meeting = await NewMeetingAsync();
        var created = await CreateDirectionAsync(meeting, 1, "Stays");
        var url = $"/api/v1/directions/{created["id"]}";
        var before = await factory.SnapshotAsync();

        await (await _client.PutJsonAsync(url, """{"meetingId":999999,"number":1,"title":"Stays"}"""))
            .ShouldBeProblem(HttpStatusCode.BadRequest, "meetingId");
        await (await _client.SendJsonAsync(HttpMethod.Put, url, $$"""{"meetingId":{{meeting}},"number":1,"title":"Changed"}""", ifMatch: "\"5\""))
            .ShouldBeProblem(HttpStatusCode.PreconditionFailed);

        (await factory.SnapshotAsync()).Should().Be(before);
    }

    [Fact]
    public async Task AnswersNotFoundForAMissingDirection()
    {
        await (await _client.GetAsync("/api/v1/directions/999999")).ShouldBeProblem(HttpStatusCode.NotFound);
        await (await _client.PutJsonAsync("/api/v1/directions/999999", """{"meetingId":1,"number":1,"title":"x"}"""))
            .ShouldBeProblem(HttpStatusCode.NotFound);
        await (await _client.DeleteAsync("/api/v1/directions/999999")).ShouldBeProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task DeletesADirectionWithoutInitiatives()
    {
        var meeting = await NewMeetingAsync();
        var created = await CreateDirectionAsync(meeting, 1, "Short-lived");
        var id = created["id"]!.GetValue<long>();

        var response = await _client.DeleteAsync($"/api/v1/directions/{id}");

        response.StatusCode.Should().Be(HttpStatusCode.NoContent);
        await (await _client.GetAsync($"/api/v1/directions/{id}")).ShouldBeProblem(HttpStatusCode.NotFound);
        (await factory.ScalarAsync<long>("SELECT COUNT(*) FROM directions WHERE id = @id", new { id })).Should().Be(0);
        (await factory.ScalarAsync<long>(
            "SELECT COUNT(*) FROM audit_entries WHERE entity_type = 'direction' AND entity_id = @id AND action = 'delete'", new { id }))
            .Should().Be(1);
    }

    [Fact]
    public async Task RejectsDeletingADirectionThatHasInitiatives()
    {
        var meeting = await NewMeetingAsync();
        var direction = await CreateDirectionAsync(meeting, 1, "Has work");
        var owner = await _client.CreateAsync("/api/v1/owners", new { name = "Direction owner" });
        await _client.CreateAsync("/api/v1/initiatives", new
        {
            directionId = direction["id"]!.GetValue<long>(),
            ownerId = owner["id"]!.GetValue<long>(),
            title = "Derived initiative",
            deadline = "2026-06-30",
        });
        var before = await factory.SnapshotAsync();

        var response = await _client.DeleteAsync($"/api/v1/directions/{direction["id"]}");

        await response.ShouldBeProblem(HttpStatusCode.Conflict);
        (await factory.SnapshotAsync()).Should().Be(before);
        await (await _client.GetAsync($"/api/v1/directions/{direction["id"]}")).ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task RejectsAStaleIfMatchOnDelete()
    {
        var meeting = await NewMeetingAsync();
        var direction = await CreateDirectionAsync(meeting, 1, "Guarded");

        var response = await _client.SendJsonAsync(HttpMethod.Delete, $"/api/v1/directions/{direction["id"]}", null, ifMatch: "\"2\"");

        await response.ShouldBeProblem(HttpStatusCode.PreconditionFailed);
        await (await _client.GetAsync($"/api/v1/directions/{direction["id"]}")).ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("sort=description", "sort")]
    [InlineData("meetingId=one", "meetingId")]
    [InlineData("pageSize=500", "pageSize")]
    public async Task RejectsBadListParametersNamingThem(string query, string key)
    {
        await (await _client.GetAsync($"/api/v1/directions?{query}")).ShouldBeProblem(HttpStatusCode.BadRequest, key);
    }

    private async Task<long> NewMeetingAsync()
    {
        var meeting = await _client.CreateAsync("/api/v1/meetings", new { title = "Direction test meeting", heldOn = "2024-05-20" });
        return meeting["id"]!.GetValue<long>();
    }

    private Task<JsonNode> CreateDirectionAsync(long meetingId, int number, string title) =>
        _client.CreateAsync("/api/v1/directions", new { meetingId, number, title });

    private Task<long> AuditCountAsync() => factory.ScalarAsync<long>("SELECT COUNT(*) FROM audit_entries");
}
