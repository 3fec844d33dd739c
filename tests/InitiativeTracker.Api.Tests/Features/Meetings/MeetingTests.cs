using System.Net;
using InitiativeTracker.Api.Tests.Infrastructure;

namespace InitiativeTracker.Api.Tests.Features.Meetings;

public sealed class MeetingTests(TrackerFactory factory) : IClassFixture<TrackerFactory>
{
    private readonly HttpClient _client = factory.Admin();

    [Fact]
    public async Task CreatesAMeetingWithLocationETagAndAudit()
    {
        var response = await _client.PostJsonAsync("/api/v1/meetings",
            """{"title":"Follow-up meeting","heldOn":"2023-09-12","location":"Innovation Harbour","summary":"Progress review"}""");

        var body = await response.ShouldBe(HttpStatusCode.Created);
        var id = body["id"]!.GetValue<long>();
        response.Headers.Location!.ToString().Should().Be($"/api/v1/meetings/{id}");
        response.Headers.ETag!.Tag.Should().Be("\"1\"");
        body["title"]!.GetValue<string>().Should().Be("Follow-up meeting");
        body["heldOn"]!.GetValue<string>().Should().Be("2023-09-12");
        body["location"]!.GetValue<string>().Should().Be("Innovation Harbour");
        body["summary"]!.GetValue<string>().Should().Be("Progress review");
        body["version"]!.GetValue<long>().Should().Be(1);
        body["createdAt"]!.GetValue<string>().Should().Be(factory.Now());
        (await factory.ScalarAsync<string>("SELECT held_on FROM meetings WHERE id = @id", new { id })).Should().Be("2023-09-12");
        (await factory.ScalarAsync<long>(
            "SELECT COUNT(*) FROM audit_entries WHERE entity_type = 'meeting' AND entity_id = @id AND action = 'create' AND actor = 'bootstrap'", new { id }))
            .Should().Be(1);
    }

    [Fact]
    public async Task GetsAMeetingWithItsETag()
    {
        var created = await _client.CreateAsync("/api/v1/meetings", new { title = "Readable", heldOn = "2023-10-01" });

        var response = await _client.GetAsync($"/api/v1/meetings/{created["id"]}");

        var body = await response.ShouldBe(HttpStatusCode.OK);
        response.Headers.ETag!.Tag.Should().Be("\"1\"");
        body.ToJsonString().Should().Be(created.ToJsonString());
    }

    [Fact]
    public async Task AnswersNotFoundForAMissingMeeting()
    {
        await (await _client.GetAsync("/api/v1/meetings/987654")).ShouldBeProblem(HttpStatusCode.NotFound);
        await (await _client.PutJsonAsync("/api/v1/meetings/987654", """{"title":"Nobody","heldOn":"2023-06-05"}"""))
            .ShouldBeProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ListsPagedAndSorted()
    {
        foreach (var (title, heldOn) in new[] { ("Sorting Bb", "2020-01-02"), ("Sorting Aa", "2020-01-03"), ("Sorting Cc", "2020-01-01") })
        {
            await _client.CreateAsync("/api/v1/meetings", new { title, heldOn });
        }

        var total = await factory.ScalarAsync<long>("SELECT COUNT(*) FROM meetings");
        var oldestFirst = await (await _client.GetAsync("/api/v1/meetings?sort=heldOn&pageSize=2&page=1")).ShouldBe(HttpStatusCode.OK);
        var secondPage = await (await _client.GetAsync("/api/v1/meetings?sort=heldOn&pageSize=2&page=2")).ShouldBe(HttpStatusCode.OK);

        oldestFirst["totalCount"]!.GetValue<long>().Should().Be(total);
        oldestFirst["page"]!.GetValue<int>().Should().Be(1);
        oldestFirst["pageSize"]!.GetValue<int>().Should().Be(2);
        Titles(oldestFirst).Should().Equal("Sorting Cc", "Sorting Bb");
        Titles(secondPage).Should().StartWith(["Sorting Aa"]);

        var byTitleDescending = await (await _client.GetAsync($"/api/v1/meetings?sort=-title&pageSize=200")).ShouldBe(HttpStatusCode.OK);
        Titles(byTitleDescending).Where(t => t.StartsWith("Sorting", StringComparison.Ordinal)).Should().Equal("Sorting Cc", "Sorting Bb", "Sorting Aa");
    }

    [Fact]
    public async Task ListsTheMostRecentMeetingFirstByDefault()
    {
        await _client.CreateAsync("/api/v1/meetings", new { title = "Far future", heldOn = "2099-12-31" });

        var body = await (await _client.GetAsync("/api/v1/meetings")).ShouldBe(HttpStatusCode.OK);

        Titles(body).First().Should().Be("Far future");
        body["pageSize"]!.GetValue<int>().Should().Be(50);
    }

    [Theory]
    [InlineData("sort=location", "sort")]
    [InlineData("sort=-", "sort")]
    [InlineData("pageSize=0", "pageSize")]
    [InlineData("page=x", "page")]
    public async Task RejectsBadListParametersNamingThem(string query, string key)
    {
        await (await _client.GetAsync($"/api/v1/meetings?{query}")).ShouldBeProblem(HttpStatusCode.BadRequest, key);
    }

    [Fact]
    public async Task UpdatesAMeetingBumpingItsVersion()
    {
        var created = await _client.CreateAsync("/api/v1/meetings", new { title = "Draft", heldOn = "2023-11-01", location = "Room 1" });
        var id = created["id"]!.GetValue<long>();
        factory.Clock.Advance(TimeSpan.FromMinutes(5));

        var response = await _client.SendJsonAsync(HttpMethod.Put, $"/api/v1/meetings/{id}",
            """{"title":"Final","heldOn":"2023-11-02","summary":"Agreed"}""", ifMatch: "\"1\"");

        var body = await response.ShouldBe(HttpStatusCode.OK);
        response.Headers.ETag!.Tag.Should().Be("\"2\"");
        body["title"]!.GetValue<string>().Should().Be("Final");
        body["heldOn"]!.GetValue<string>().Should().Be("2023-11-02");
        body["location"].Should().BeNull("PUT replaces every field");
        body["summary"]!.GetValue<string>().Should().Be("Agreed");
        body["version"]!.GetValue<long>().Should().Be(2);
        body["createdAt"]!.GetValue<string>().Should().Be(created["createdAt"]!.GetValue<string>());
        body["updatedAt"]!.GetValue<string>().Should().NotBe(created["updatedAt"]!.GetValue<string>());
        (await factory.ScalarAsync<string>("SELECT title FROM meetings WHERE id = @id", new { id })).Should().Be("Final");
        (await factory.ScalarAsync<string>(
            "SELECT changes FROM audit_entries WHERE entity_type = 'meeting' AND entity_id = @id AND action = 'update'", new { id }))
            .Should().Contain("\"title\":{\"before\":\"Draft\",\"after\":\"Final\"}");
    }

    [Fact]
    public async Task RejectsAStaleIfMatchAndLeavesTheMeetingUnchanged()
    {
        var created = await _client.CreateAsync("/api/v1/meetings", new { title = "Contested", heldOn = "2023-12-01" });
        var url = $"/api/v1/meetings/{created["id"]}";
        await (await _client.PutJsonAsync(url, """{"title":"First writer","heldOn":"2023-12-01"}""")).ShouldBe(HttpStatusCode.OK);
        var before = await factory.SnapshotAsync();

        var response = await _client.SendJsonAsync(HttpMethod.Put, url, """{"title":"Second writer","heldOn":"2023-12-01"}""", ifMatch: "\"1\"");

        var problem = await response.ShouldBeProblem(HttpStatusCode.PreconditionFailed);
        problem["detail"]!.GetValue<string>().Should().Contain("\"2\"", "the problem names the current ETag");
        (await factory.SnapshotAsync()).Should().Be(before);
        var current = await (await _client.GetAsync(url)).ShouldBe(HttpStatusCode.OK);
        current["title"]!.GetValue<string>().Should().Be("First writer");
    }

    [Fact]
    public async Task RejectsMissingTitleAndHeldOnNamingEachField()
    {
        var before = await factory.ScalarAsync<long>("SELECT COUNT(*) FROM meetings");

        var response = await _client.PostJsonAsync("/api/v1/meetings", """{"location":"Somewhere"}""");

        await response.ShouldBeProblem(HttpStatusCode.BadRequest, "title", "heldOn");
        (await factory.ScalarAsync<long>("SELECT COUNT(*) FROM meetings")).Should().Be(before);
    }

    [Theory]
    [InlineData("2023-02-30")]
    [InlineData("2023-6-5")]
    [InlineData("05/06/2023")]
    public async Task RejectsAnImpossibleOrMisformattedHeldOn(string heldOn)
    {
        var before = await factory.ScalarAsync<long>("SELECT COUNT(*) FROM meetings");

        var response = await _client.PostJsonAsync("/api/v1/meetings", $$"""{"title":"Bad date","heldOn":"{{heldOn}}"}""");

        await response.ShouldBeProblem(HttpStatusCode.BadRequest, "heldOn");
        (await factory.ScalarAsync<long>("SELECT COUNT(*) FROM meetings")).Should().Be(before);
    }

    [Fact]
    public async Task RejectsABlankTitleOnUpdate()
    {
        var created = await _client.CreateAsync("/api/v1/meetings", new { title = "Keep me", heldOn = "2024-03-01" });

        var response = await _client.PutJsonAsync($"/api/v1/meetings/{created["id"]}", """{"title":"   ","heldOn":"2024-03-01"}""");

        await response.ShouldBeProblem(HttpStatusCode.BadRequest, "title");
        (await factory.ScalarAsync<string>("SELECT title FROM meetings WHERE id = @id", new { id = created["id"]!.GetValue<long>() }))
            .Should().Be("Keep me");
    }

    [Fact]
    public async Task HasNoDeleteRoute()
    {
        // The spec lists meetings as list, get, create and update: the record of a meeting stays.
        var response = await _client.DeleteAsync("/api/v1/meetings/1");

        await response.ShouldBeProblem(HttpStatusCode.MethodNotAllowed);
        (await factory.ScalarAsync<long>("SELECT COUNT(*) FROM meetings WHERE id = 1")).Should().Be(1);
    }

    private static IEnumerable<string> Titles(System.Text.Json.Nodes.JsonNode page) =>
        page["items"]!.AsArray().Select(i => i!["title"]!.GetValue<string>());
}
