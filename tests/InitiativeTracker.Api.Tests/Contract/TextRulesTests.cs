using System.Net;
using InitiativeTracker.Api.Tests.Features.CheckIns;
using InitiativeTracker.Api.Tests.Infrastructure;

namespace InitiativeTracker.Api.Tests.Contract;

/// <summary>
/// The one rule for request text, as stored: trimmed, blank optional text as null, line breaks kept where
/// a field may hold them. What it refuses is in <see cref="HostileInputTests"/>' table; imports are in
/// <c>ImportInitiativesTests</c>.
/// </summary>
public sealed class TextRulesTests(TrackerFactory factory) : IClassFixture<TrackerFactory>
{
    private readonly HttpClient _client = factory.Admin();

    [Fact]
    public async Task StoresOwnerNamesTrimmedAndBlankOptionalTextAsNull()
    {
        var response = await _client.PostJsonAsync("/api/v1/owners", """{"name":"  Li Na \t","email":"   ","unit":"\n\u3000"}""");

        var body = await response.ShouldBe(HttpStatusCode.Created);
        body["name"]!.GetValue<string>().Should().Be("Li Na");
        body["email"].Should().BeNull();
        body["unit"].Should().BeNull();
        (await factory.ScalarAsync<string>("SELECT name || '|' || IFNULL(email, 'NULL') || '|' || IFNULL(unit, 'NULL') FROM owners WHERE id = @id",
            new { id = body["id"]!.GetValue<long>() })).Should().Be("Li Na|NULL|NULL");
    }

    [Fact]
    public async Task TrimsMeetingAndDirectionTextOnCreateAndUpdate()
    {
        var meeting = await _client.CreateAsync("/api/v1/meetings", new { title = " Follow-up meeting ", heldOn = "2026-09-12", location = "\tXi'an ", summary = "  " });
        meeting["title"]!.GetValue<string>().Should().Be("Follow-up meeting");
        meeting["location"]!.GetValue<string>().Should().Be("Xi'an");
        meeting["summary"].Should().BeNull();

        var direction = await _client.CreateAsync("/api/v1/directions", new { meetingId = 1, number = 7, title = "Culture  ", description = "\r\n" });
        direction["title"]!.GetValue<string>().Should().Be("Culture");
        direction["description"].Should().BeNull();

        var updated = await (await _client.PutJsonAsync($"/api/v1/directions/{direction["id"]}",
            """{"meetingId":1,"number":7,"title":"  Cultural exchange  ","description":" Along the Silk Road "}""")).ShouldBe(HttpStatusCode.OK);
        updated["title"]!.GetValue<string>().Should().Be("Cultural exchange");
        updated["description"]!.GetValue<string>().Should().Be("Along the Silk Road");
    }

    [Fact]
    public async Task KeepsLineBreaksAndTabsInsideMultiLineFieldsAndTrimsTheEnds()
    {
        var owner = await _client.IdOfAsync("/api/v1/owners", new { name = "Multi-line owner" });

        var response = await _client.PostJsonAsync("/api/v1/initiatives", $$"""
            {"directionId":1,"ownerId":{{owner}},"title":"  Almaty center\n","description":"\n Phase 1:\r\n\t- MoU\nPhase 2 \n","deadline":"2026-12-31"}
            """);

        var body = await response.ShouldBe(HttpStatusCode.Created);
        body["title"]!.GetValue<string>().Should().Be("Almaty center", "line breaks at the ends are white space, trimmed like any other");
        body["description"]!.GetValue<string>().Should().Be("Phase 1:\r\n\t- MoU\nPhase 2");
    }

    [Fact]
    public async Task TrimsAMergePatchAndANoteAndAReason()
    {
        var id = await _client.NewInitiativeAsync();

        var patched = await (await _client.PatchMergeAsync($"/api/v1/initiatives/{id}", """{"title":" Renamed ","description":" \t "}""")).ShouldBe(HttpStatusCode.OK);
        var checkIn = await (await _client.CheckInAsync(id, new { progress = 10, health = "on_track", note = "  Partners signed the MoU\n" })).ShouldBe(HttpStatusCode.Created);
        var blankNote = await (await _client.CheckInAsync(id, new { progress = 20, health = "on_track", note = " " })).ShouldBe(HttpStatusCode.Created);
        await (await _client.PutJsonAsync($"/api/v1/initiatives/{id}/deadline", """{"deadline":"2026-08-31","reason":" Licence delayed \r\n"}"""))
            .ShouldBe(HttpStatusCode.OK);

        patched["title"]!.GetValue<string>().Should().Be("Renamed");
        patched["description"].Should().BeNull();
        checkIn["note"]!.GetValue<string>().Should().Be("Partners signed the MoU");
        blankNote["note"].Should().BeNull();
        (await factory.ScalarAsync<string>("SELECT reason FROM deadline_changes WHERE initiative_id = @id", new { id })).Should().Be("Licence delayed");
    }

    [Theory]
    [InlineData("/api/v1/task-forces", """{"name":"Technology Transfer Task Force"}""", """{"name":" Technology Transfer Task Force\t"}""", "name")]
    [InlineData("/api/v1/owners", """{"name":"Li Na","email":"li.na@example.edu"}""", """{"name":"Li Na ","email":"  li.na@example.edu "}""", "email")]
    [InlineData("/api/v1/api-keys", """{"name":"nightly-import","role":"viewer"}""", """{"name":" nightly-import ","role":"viewer"}""", "name")]
    public async Task TrimsBeforeTheUniquenessCheckSoAPaddedCopyIsAConflictKeyedByTheField(string url, string first, string padded, string field)
    {
        await (await _client.PostJsonAsync(url, first)).ShouldBe(HttpStatusCode.Created);
        var before = await factory.SnapshotAsync();

        var response = await _client.PostJsonAsync(url, padded);

        await response.ShouldBeProblem(HttpStatusCode.Conflict, field);
        (await factory.SnapshotAsync()).Should().Be(before);
    }

    [Fact]
    public async Task TrimsARenameBeforeTheUniquenessCheckToo()
    {
        await _client.CreateAsync("/api/v1/task-forces", new { name = "Overseas Talent Task Force" });
        var other = await _client.IdOfAsync("/api/v1/task-forces", new { name = "Cultural Exchange Task Force" });

        var response = await _client.PutJsonAsync($"/api/v1/task-forces/{other}", """{"name":"Overseas Talent Task Force  "}""");

        await response.ShouldBeProblem(HttpStatusCode.Conflict, "name");
    }

    [Fact]
    public async Task RefusesANulInATitleKeyedTitleAndWritesNothing()
    {
        var owner = await _client.IdOfAsync("/api/v1/owners", new { name = "NUL owner" });
        var before = await factory.SnapshotAsync();

        var response = await _client.PostJsonAsync("/api/v1/initiatives", $$"""
            {"directionId":1,"ownerId":{{owner}},"title":"Almaty\u0000center","deadline":"2026-12-31"}
            """);

        var problem = await response.ShouldBeProblem(HttpStatusCode.BadRequest, "title");
        problem["errors"]!.AsObject().Select(e => e.Key).Should().Equal("title");
        problem["errors"]!["title"]![0]!.GetValue<string>().Should().Contain("U+0000");
        (await factory.SnapshotAsync()).Should().Be(before);
    }
}
