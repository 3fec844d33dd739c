using System.Net;
using System.Net.Http.Json;
using InitiativeTracker.Api.Tests.Infrastructure;

namespace InitiativeTracker.Api.Tests.Features.CheckIns;

/// <summary>Posting, reading and listing check-ins. The clock stays at <see cref="TrackerFactory.Start"/> in this class.</summary>
public sealed class CheckInTests(TrackerFactory factory) : IClassFixture<TrackerFactory>
{
    private readonly HttpClient _client = factory.Admin();

    [Fact]
    public async Task CreatesACheckInWithLocationAndUpdatesTheInitiative()
    {
        var id = await _client.NewInitiativeAsync();

        var response = await _client.CheckInAsync(id, new { progress = 30, status = "in_progress", health = "at_risk", note = "  Kick-off held in Almaty " });

        var body = await response.ShouldBe(HttpStatusCode.Created);
        var checkInId = body["id"]!.GetValue<long>();
        response.Headers.Location!.ToString().Should().Be($"/api/v1/initiatives/{id}/check-ins/{checkInId}");
        body["initiativeId"]!.GetValue<long>().Should().Be(id);
        body["progress"]!.GetValue<int>().Should().Be(30);
        body["status"]!.GetValue<string>().Should().Be("in_progress");
        body["previousStatus"]!.GetValue<string>().Should().Be("planned");
        body["health"]!.GetValue<string>().Should().Be("at_risk");
        body["note"]!.GetValue<string>().Should().Be("Kick-off held in Almaty");
        body["reportedBy"]!.GetValue<string>().Should().Be("bootstrap");
        body["reportedAt"]!.GetValue<string>().Should().Be("2026-03-10T02:00:00Z");

        var fetched = await (await _client.GetAsync(response.Headers.Location)).ShouldBe(HttpStatusCode.OK);
        fetched.ToJsonString().Should().Be(body.ToJsonString());

        var initiative = await _client.InitiativeAsync(id);
        initiative["status"]!.GetValue<string>().Should().Be("in_progress");
        initiative["progress"]!.GetValue<int>().Should().Be(30);
        initiative["health"]!.GetValue<string>().Should().Be("at_risk");
        initiative["lastCheckInAt"]!.GetValue<string>().Should().Be("2026-03-10T02:00:00Z");
        initiative["completedOn"].Should().BeNull();
        initiative["version"]!.GetValue<long>().Should().Be(2);
    }

    [Fact]
    public async Task StatusDefaultsToTheCurrentOne()
    {
        var id = await _client.NewInitiativeInAsync("blocked");

        var body = await (await _client.CheckInAsync(id, new { progress = 55, health = "off_track" })).ShouldBe(HttpStatusCode.Created);

        body["status"]!.GetValue<string>().Should().Be("blocked");
        body["previousStatus"]!.GetValue<string>().Should().Be("blocked");
        var initiative = await _client.InitiativeAsync(id);
        initiative["status"]!.GetValue<string>().Should().Be("blocked");
        initiative["progress"]!.GetValue<int>().Should().Be(55);
        initiative["health"]!.GetValue<string>().Should().Be("off_track");
    }

    [Fact]
    public async Task ProgressMayGoDown()
    {
        var id = await _client.NewInitiativeInAsync("in_progress");
        await (await _client.CheckInAsync(id, new { progress = 60, health = "on_track" })).ShouldBe(HttpStatusCode.Created);

        await (await _client.CheckInAsync(id, new { progress = 40, health = "at_risk", note = "Scope grew" })).ShouldBe(HttpStatusCode.Created);

        (await _client.InitiativeAsync(id))["progress"]!.GetValue<int>().Should().Be(40);
    }

    [Fact]
    public async Task DoneSetsProgressTo100AndCompletedOnToToday()
    {
        var id = await _client.NewInitiativeInAsync("in_progress");

        var body = await (await _client.CheckInAsync(id, new { progress = 70, status = "done", health = "on_track" })).ShouldBe(HttpStatusCode.Created);

        body["progress"]!.GetValue<int>().Should().Be(100, "done means 100 whatever was sent");
        var initiative = await _client.InitiativeAsync(id);
        initiative["progress"]!.GetValue<int>().Should().Be(100);
        initiative["completedOn"]!.GetValue<string>().Should().Be("2026-03-10");
        initiative["daysUntilDeadline"].Should().BeNull("a done initiative is closed");
    }

    [Fact]
    public async Task ReopeningNeedsANoteAndClearsCompletedOn()
    {
        var id = await _client.NewInitiativeInAsync("done");
        var before = await factory.FootprintAsync(id);

        await (await _client.CheckInAsync(id, new { progress = 80, status = "in_progress", health = "at_risk" }))
            .ShouldBeProblem(HttpStatusCode.BadRequest, "note");
        await (await _client.CheckInAsync(id, new { progress = 80, status = "in_progress", health = "at_risk", note = "   " }))
            .ShouldBeProblem(HttpStatusCode.BadRequest, "note");
        (await factory.FootprintAsync(id)).Should().Be(before);

        var body = await (await _client.CheckInAsync(id, new { progress = 80, status = "in_progress", health = "at_risk", note = "Partner asked for a second phase" }))
            .ShouldBe(HttpStatusCode.Created);

        body["previousStatus"]!.GetValue<string>().Should().Be("done");
        var initiative = await _client.InitiativeAsync(id);
        initiative["status"]!.GetValue<string>().Should().Be("in_progress");
        initiative["progress"]!.GetValue<int>().Should().Be(80);
        initiative["completedOn"].Should().BeNull();
    }

    [Fact]
    public async Task RefusesToReopenAnInitiativeWhoseOwnerWasDeletedUntilItIsReassigned()
    {
        var id = await _client.NewInitiativeInAsync("done");
        var archived = (await _client.InitiativeAsync(id))["ownerId"]!.GetValue<long>();
        (await _client.DeleteAsync($"/api/v1/owners/{archived}")).StatusCode.Should().Be(HttpStatusCode.NoContent, "a done initiative does not keep its owner");
        var before = await factory.SnapshotAsync();
        var reopen = new { progress = 60, status = "in_progress", health = "at_risk", note = "A second phase" };

        var problem = await (await _client.CheckInAsync(id, reopen)).ShouldBeProblem(HttpStatusCode.Conflict);

        problem["type"]!.GetValue<string>().Should().Be("https://initiative-tracker.example/problems/owner-archived");
        problem["detail"]!.GetValue<string>().Should().Contain($"owner {archived}").And.Contain("Reassign the initiative to an active owner first");
        (await factory.SnapshotAsync()).Should().Be(before, "a refused reopen writes nothing");

        var successor = await _client.IdOfAsync("/api/v1/owners", new { name = "Successor owner" });
        await (await _client.PatchMergeAsync($"/api/v1/initiatives/{id}", $$"""{"ownerId":{{successor}}}""")).ShouldBe(HttpStatusCode.OK);
        await (await _client.CheckInAsync(id, reopen)).ShouldBe(HttpStatusCode.Created);

        var initiative = await _client.InitiativeAsync(id);
        initiative["status"]!.GetValue<string>().Should().Be("in_progress");
        initiative["ownerId"]!.GetValue<long>().Should().Be(successor);
    }

    [Fact]
    public async Task ReopeningDetachesATaskForceDeletedMeanwhileAsDeletingItDetachesOpenInitiatives()
    {
        var lead = await _client.IdOfAsync("/api/v1/owners", new { name = "Dissolved task force lead" });
        var taskForce = await _client.IdOfAsync("/api/v1/task-forces", new { name = "Dissolved after the first phase", leadId = lead });
        var owner = await _client.IdOfAsync("/api/v1/owners", new { name = "Reopening owner" });
        var id = await _client.IdOfAsync("/api/v1/initiatives",
            new { directionId = 3, ownerId = owner, taskForceId = taskForce, title = "Phase one, then phase two", deadline = "2026-06-30" });
        await (await _client.CheckInAsync(id, new { progress = 100, status = "in_progress", health = "on_track" })).ShouldBe(HttpStatusCode.Created);
        await (await _client.CheckInAsync(id, new { progress = 100, status = "done", health = "on_track" })).ShouldBe(HttpStatusCode.Created);
        await (await _client.DeleteAsync($"/api/v1/task-forces/{taskForce}")).ShouldBeText(HttpStatusCode.NoContent);
        (await _client.InitiativeAsync(id))["taskForceId"]!.GetValue<long>().Should().Be(taskForce, "a closed initiative keeps its task force for history");

        await (await _client.CheckInAsync(id, new { progress = 40, status = "in_progress", health = "on_track", note = "Phase two" }))
            .ShouldBe(HttpStatusCode.Created);

        var initiative = await _client.InitiativeAsync(id);
        initiative["status"]!.GetValue<string>().Should().Be("in_progress");
        initiative["taskForceId"].Should().BeNull();
        var audit = await (await _client.GetAsync($"/api/v1/audit?entityType=initiative&entityId={id}&pageSize=1")).ShouldBe(HttpStatusCode.OK);
        var changes = audit["items"]![0]!["changes"]!;
        changes["taskForceId"]!["before"]!.GetValue<long>().Should().Be(taskForce);
        changes["taskForceId"]!["after"].Should().BeNull();
        changes["status"]!["after"]!.GetValue<string>().Should().Be("in_progress");
    }

    [Fact]
    public async Task ADoneInitiativeAcceptsOnlyTheReopen()
    {
        var id = await _client.NewInitiativeInAsync("done");

        var problem = await (await _client.CheckInAsync(id, new { progress = 100, health = "on_track" }))
            .ShouldBeProblem(HttpStatusCode.Conflict);

        problem["type"]!.GetValue<string>().Should().Be("https://initiative-tracker.example/problems/invalid-transition");
        problem["allowed"]!.AsArray().Select(s => s!.GetValue<string>()).Should().Equal("in_progress");
    }

    [Theory]
    [InlineData("cancelled")]
    [InlineData("planned")]
    [InlineData("in_progress")]
    [InlineData(null)]
    public async Task CancelledIsFinal(string? status)
    {
        var id = await _client.NewInitiativeInAsync("cancelled");
        var before = await factory.FootprintAsync(id);

        var problem = await (await _client.CheckInAsync(id, new { progress = 10, status, health = "on_track", note = "Revived" }))
            .ShouldBeProblem(HttpStatusCode.Conflict);

        problem["type"]!.GetValue<string>().Should().Be("https://initiative-tracker.example/problems/invalid-transition");
        problem["detail"]!.GetValue<string>().Should().Contain("final");
        problem["allowed"]!.AsArray().Should().BeEmpty();
        (await factory.FootprintAsync(id)).Should().Be(before);
    }

    [Theory]
    [InlineData("""{"status":"in_progress"}""", new[] { "progress", "health" })]
    [InlineData("""{"progress":101,"health":"on_track"}""", new[] { "progress" })]
    [InlineData("""{"progress":-1,"health":"on_track"}""", new[] { "progress" })]
    [InlineData("""{"progress":"50","health":"on_track"}""", new[] { "progress" })]
    [InlineData("""{"progress":50,"health":"great"}""", new[] { "health" })]
    [InlineData("""{"progress":50,"health":"on_track","status":"finished"}""", new[] { "status" })]
    public async Task RejectsInvalidCheckInsNamingTheFieldAndWritesNothing(string json, string[] keys)
    {
        var id = await _client.NewInitiativeAsync();
        var before = await factory.FootprintAsync(id);

        await (await _client.PostJsonAsync($"/api/v1/initiatives/{id}/check-ins", json)).ShouldBeProblem(HttpStatusCode.BadRequest, keys);

        (await factory.FootprintAsync(id)).Should().Be(before);
    }

    [Fact]
    public async Task CapsTheNoteLength()
    {
        var id = await _client.NewInitiativeAsync();

        await (await _client.CheckInAsync(id, new { progress = 1, health = "on_track", note = new string('n', 4001) }))
            .ShouldBeProblem(HttpStatusCode.BadRequest, "note");
        await (await _client.CheckInAsync(id, new { progress = 1, health = "on_track", note = new string('n', 4000) }))
            .ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task AnswersNotFoundForAMissingInitiativeOrACheckInOfAnother()
    {
        var id = await _client.NewInitiativeAsync();
        var other = await _client.NewInitiativeAsync();
        var checkIn = await (await _client.CheckInAsync(id, new { progress = 1, health = "on_track" })).ShouldBe(HttpStatusCode.Created);

        await (await _client.CheckInAsync(999_999, new { progress = 1, health = "on_track" })).ShouldBeProblem(HttpStatusCode.NotFound);
        await (await _client.GetAsync("/api/v1/initiatives/999999/check-ins")).ShouldBeProblem(HttpStatusCode.NotFound);
        await (await _client.GetAsync($"/api/v1/initiatives/{other}/check-ins/{checkIn["id"]}")).ShouldBeProblem(HttpStatusCode.NotFound);
        await (await _client.GetAsync($"/api/v1/initiatives/{id}/check-ins/999999")).ShouldBeProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task HonoursIfMatchAgainstTheInitiativeVersion()
    {
        var id = await _client.NewInitiativeAsync();
        var before = await factory.FootprintAsync(id);

        var stale = await _client.SendAsync(CheckInRequest(id, "\"7\"", """{"progress":10,"health":"on_track"}"""));
        await stale.ShouldBeProblem(HttpStatusCode.PreconditionFailed);
        (await factory.FootprintAsync(id)).Should().Be(before);

        var current = await _client.SendAsync(CheckInRequest(id, "\"1\"", """{"progress":10,"health":"on_track"}"""));
        await current.ShouldBe(HttpStatusCode.Created);
        (await _client.InitiativeAsync(id))["version"]!.GetValue<long>().Should().Be(2);
    }

    [Fact]
    public async Task AnswersACheckInWithAFixedETagOfItsOwnAndRevalidatesIt()
    {
        var id = await _client.NewInitiativeAsync();
        var created = await _client.CheckInAsync(id, new { progress = 10, health = "on_track" });
        var checkIn = await created.ShouldBe(HttpStatusCode.Created);
        var url = created.Headers.Location!.ToString();
        created.Headers.ETag.Should().BeNull("the 201 hands out no tag that could pass for the initiative's new ETag");

        var fetched = await _client.GetAsync(url);
        await fetched.ShouldBe(HttpStatusCode.OK);
        var etag = fetched.Headers.ETag!;
        etag.Tag.Should().Be($"\"c{checkIn["id"]}\"");
        etag.IsWeak.Should().BeFalse();

        // The initiative changes; its check-in does not, nor does the check-in's tag.
        await (await _client.CheckInAsync(id, new { progress = 20, health = "on_track" })).ShouldBe(HttpStatusCode.Created);
        var again = await _client.GetAsync(url);
        await again.ShouldBe(HttpStatusCode.OK);
        again.Headers.ETag!.Tag.Should().Be(etag.Tag);

        var notModified = await _client.GetIfNoneMatchAsync(url, etag.Tag);
        notModified.StatusCode.Should().Be(HttpStatusCode.NotModified);
        notModified.Headers.ETag!.Tag.Should().Be(etag.Tag);
        (await notModified.Content.ReadAsByteArrayAsync()).Should().BeEmpty();
        (await _client.GetIfNoneMatchAsync(url, "\"c999999\"")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await _client.GetIfNoneMatchAsync(url, "\"1\"")).StatusCode.Should().Be(HttpStatusCode.OK, "a version is never a check-in's tag");

        // Nor can the check-in's tag pass for the initiative's ETag.
        var before = await factory.FootprintAsync(id);
        await (await _client.SendAsync(CheckInRequest(id, etag.Tag, """{"progress":30,"health":"on_track"}"""))).ShouldBeProblem(HttpStatusCode.PreconditionFailed);
        (await factory.FootprintAsync(id)).Should().Be(before);
    }

    [Fact]
    public async Task AnIllegalTransitionWritesNothing()
    {
        var id = await _client.NewInitiativeAsync();
        var before = await factory.FootprintAsync(id);

        await (await _client.CheckInAsync(id, new { progress = 100, status = "done", health = "on_track" })).ShouldBeProblem(HttpStatusCode.Conflict);

        (await factory.FootprintAsync(id)).Should().Be(before);
        (await factory.ScalarAsync<long>("SELECT COUNT(*) FROM check_ins WHERE initiative_id = @id", new { id })).Should().Be(0);
    }

    [Fact]
    public async Task ListsNewestFirstWithPaging()
    {
        var id = await _client.NewInitiativeAsync();
        foreach (var progress in new[] { 10, 20, 30 })
        {
            await (await _client.CheckInAsync(id, new { progress, health = "on_track" })).ShouldBe(HttpStatusCode.Created);
        }

        var first = await (await _client.GetAsync($"/api/v1/initiatives/{id}/check-ins?pageSize=2")).ShouldBe(HttpStatusCode.OK);
        first["totalCount"]!.GetValue<long>().Should().Be(3);
        first["page"]!.GetValue<int>().Should().Be(1);
        first["pageSize"]!.GetValue<int>().Should().Be(2);
        first["items"]!.AsArray().Select(i => i!["progress"]!.GetValue<int>()).Should().Equal(30, 20);

        var second = await (await _client.GetAsync($"/api/v1/initiatives/{id}/check-ins?pageSize=2&page=2")).ShouldBe(HttpStatusCode.OK);
        second["items"]!.AsArray().Select(i => i!["progress"]!.GetValue<int>()).Should().Equal(10);

        var sorted = await (await _client.GetAsync($"/api/v1/initiatives/{id}/check-ins?sort=progress")).ShouldBe(HttpStatusCode.OK);
        sorted["items"]!.AsArray().Select(i => i!["progress"]!.GetValue<int>()).Should().Equal(10, 20, 30);

        await (await _client.GetAsync($"/api/v1/initiatives/{id}/check-ins?sort=note")).ShouldBeProblem(HttpStatusCode.BadRequest, "sort");
        await (await _client.GetAsync($"/api/v1/initiatives/{id}/check-ins?pageSize=500")).ShouldBeProblem(HttpStatusCode.BadRequest, "pageSize");
    }

    [Fact]
    public async Task ListsAnEmptyHistoryForANewInitiative()
    {
        var id = await _client.NewInitiativeAsync();

        var body = await (await _client.GetAsync($"/api/v1/initiatives/{id}/check-ins")).ShouldBe(HttpStatusCode.OK);

        body["totalCount"]!.GetValue<long>().Should().Be(0);
        body["items"]!.AsArray().Should().BeEmpty();
    }

    private static HttpRequestMessage CheckInRequest(long id, string ifMatch, string json)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/initiatives/{id}/check-ins")
        {
            Content = JsonContent.Create(System.Text.Json.JsonDocument.Parse(json).RootElement),
        };
        request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return request;
    }
}
