using System.Net;
using System.Text;
using InitiativeTracker.Api.Tests.Features.CheckIns;
using InitiativeTracker.Api.Tests.Infrastructure;

namespace InitiativeTracker.Api.Tests.Features.Deadlines;

/// <summary>Moving a deadline, and its history. The clock stays at <see cref="TrackerFactory.Start"/> in this class.</summary>
public sealed class DeadlineTests(TrackerFactory factory) : IClassFixture<TrackerFactory>
{
    private readonly HttpClient _client = factory.Admin();

    [Fact]
    public async Task MovesTheDeadlineKeepingTheOriginalAndTheHistory()
    {
        var id = await _client.NewInitiativeAsync(deadline: "2026-06-30");

        var first = await _client.PutJsonAsync(Deadline(id), """{"deadline":"2026-09-30","reason":"Partner visas delayed"}""");
        var body = await first.ShouldBe(HttpStatusCode.OK);
        first.Headers.ETag!.Tag.Should().Be("\"2\"");
        body["deadline"]!.GetValue<string>().Should().Be("2026-09-30");
        body["originalDeadline"]!.GetValue<string>().Should().Be("2026-06-30");
        body["deadlineChanges"]!.GetValue<int>().Should().Be(1);
        body["version"]!.GetValue<long>().Should().Be(2);
        body["updatedAt"]!.GetValue<string>().Should().Be("2026-03-10T02:00:00Z");

        var second = await (await _client.PutJsonAsync(Deadline(id), """{"deadline":"2026-08-31","reason":" Second lab ready early "}""")).ShouldBe(HttpStatusCode.OK);
        second["deadline"]!.GetValue<string>().Should().Be("2026-08-31");
        second["originalDeadline"]!.GetValue<string>().Should().Be("2026-06-30", "the first deadline never changes");
        second["deadlineChanges"]!.GetValue<int>().Should().Be(2);

        var history = await (await _client.GetAsync($"/api/v1/initiatives/{id}/deadline-changes")).ShouldBe(HttpStatusCode.OK);
        history["totalCount"]!.GetValue<long>().Should().Be(2);
        var oldest = history["items"]![0]!;
        oldest["initiativeId"]!.GetValue<long>().Should().Be(id);
        oldest["from"]!.GetValue<string>().Should().Be("2026-06-30");
        oldest["to"]!.GetValue<string>().Should().Be("2026-09-30");
        oldest["reason"]!.GetValue<string>().Should().Be("Partner visas delayed");
        oldest["changedBy"]!.GetValue<string>().Should().Be("bootstrap");
        oldest["changedAt"]!.GetValue<string>().Should().Be("2026-03-10T02:00:00Z");
        var newest = history["items"]![1]!;
        newest["from"]!.GetValue<string>().Should().Be("2026-09-30");
        newest["to"]!.GetValue<string>().Should().Be("2026-08-31");
        newest["reason"]!.GetValue<string>().Should().Be("Second lab ready early");

        var initiative = await _client.InitiativeAsync(id);
        initiative["deadline"]!.GetValue<string>().Should().Be("2026-08-31");
        initiative["originalDeadline"]!.GetValue<string>().Should().Be("2026-06-30");
        initiative["deadlineChanges"]!.GetValue<int>().Should().Be(2);
    }

    [Fact]
    public async Task PagesTheHistoryOldestFirst()
    {
        var id = await _client.NewInitiativeAsync(deadline: "2026-06-30");
        foreach (var deadline in new[] { "2026-07-31", "2026-08-31", "2026-09-30" })
        {
            await (await _client.PutJsonAsync(Deadline(id), $$"""{"deadline":"{{deadline}}","reason":"Slipped"}""")).ShouldBe(HttpStatusCode.OK);
        }

        var page = await (await _client.GetAsync($"/api/v1/initiatives/{id}/deadline-changes?pageSize=2&page=2")).ShouldBe(HttpStatusCode.OK);

        page["totalCount"]!.GetValue<long>().Should().Be(3);
        page["page"]!.GetValue<int>().Should().Be(2);
        page["items"]!.AsArray().Select(c => c!["to"]!.GetValue<string>()).Should().Equal("2026-09-30");
        await (await _client.GetAsync($"/api/v1/initiatives/{id}/deadline-changes?sort=reason")).ShouldBeProblem(HttpStatusCode.BadRequest, "sort");
    }

    [Fact]
    public async Task AuditsTheMoveAsAnInitiativeUpdate()
    {
        var id = await _client.NewInitiativeAsync(deadline: "2026-06-30");

        await (await _client.PutJsonAsync(Deadline(id), """{"deadline":"2026-07-15","reason":"Customs"}""")).ShouldBe(HttpStatusCode.OK);

        var changes = await factory.ScalarAsync<string>(
            "SELECT changes FROM audit_entries WHERE entity_type = 'initiative' AND entity_id = @id AND action = 'update'", new { id });
        changes.Should().Be("""{"deadline":{"before":"2026-06-30","after":"2026-07-15"},"deadlineChanges":{"before":0,"after":1}}""");
    }

    [Theory]
    [InlineData("""{"deadline":"2026-06-30","reason":"No move"}""", "deadline")]
    [InlineData("""{"reason":"Where to?"}""", "deadline")]
    [InlineData("""{"deadline":"2026-02-30","reason":"No such day"}""", "deadline")]
    [InlineData("""{"deadline":"30/09/2026","reason":"Wrong format"}""", "deadline")]
    [InlineData("""{"deadline":"2025-12-31","reason":"Before the start"}""", "deadline")]
    [InlineData("""{"deadline":"2026-09-30"}""", "reason")]
    [InlineData("""{"deadline":"2026-09-30","reason":"   "}""", "reason")]
    public async Task RejectsAnInvalidMoveNamingTheFieldAndWritesNothing(string json, string key)
    {
        var id = await _client.NewInitiativeAsync(deadline: "2026-06-30", startDate: "2026-01-15");
        var before = await factory.FootprintAsync(id);

        await (await _client.PutJsonAsync(Deadline(id), json)).ShouldBeProblem(HttpStatusCode.BadRequest, key);

        (await factory.FootprintAsync(id)).Should().Be(before);
    }

    [Fact]
    public async Task CapsTheReasonLength()
    {
        var id = await _client.NewInitiativeAsync();

        await (await _client.PutJsonAsync(Deadline(id), $$"""{"deadline":"2026-09-30","reason":"{{new string('r', 1001)}}"}"""))
            .ShouldBeProblem(HttpStatusCode.BadRequest, "reason");
        await (await _client.PutJsonAsync(Deadline(id), $$"""{"deadline":"2026-09-30","reason":"{{new string('r', 1000)}}"}"""))
            .ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("done")]
    [InlineData("cancelled")]
    public async Task RefusesToMoveTheDeadlineOfAClosedInitiative(string status)
    {
        var id = await _client.NewInitiativeInAsync(status);
        var before = await factory.FootprintAsync(id);

        var problem = await (await _client.PutJsonAsync(Deadline(id), """{"deadline":"2026-09-30","reason":"Too late"}"""))
            .ShouldBeProblem(HttpStatusCode.Conflict);

        problem["detail"]!.GetValue<string>().Should().Contain(status);
        (await factory.FootprintAsync(id)).Should().Be(before);
    }

    [Theory]
    [InlineData("blocked")]
    [InlineData("in_progress")]
    public async Task MovesTheDeadlineOfAnyOpenInitiative(string status)
    {
        var id = await _client.NewInitiativeInAsync(status);

        await (await _client.PutJsonAsync(Deadline(id), """{"deadline":"2026-09-30","reason":"Waiting on the partner"}""")).ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task HonoursIfMatch()
    {
        var id = await _client.NewInitiativeAsync();
        var before = await factory.FootprintAsync(id);

        await (await _client.SendAsync(Request(id, "\"5\""))).ShouldBeProblem(HttpStatusCode.PreconditionFailed);
        (await factory.FootprintAsync(id)).Should().Be(before);

        var response = await _client.SendAsync(Request(id, "\"1\""));
        await response.ShouldBe(HttpStatusCode.OK);
        response.Headers.ETag!.Tag.Should().Be("\"2\"");
    }

    [Fact]
    public async Task AnswersNotFoundForAMissingInitiative()
    {
        await (await _client.PutJsonAsync(Deadline(999_999), """{"deadline":"2026-09-30","reason":"Ghost"}""")).ShouldBeProblem(HttpStatusCode.NotFound);
        await (await _client.GetAsync("/api/v1/initiatives/999999/deadline-changes")).ShouldBeProblem(HttpStatusCode.NotFound);
    }

    private static string Deadline(long id) => $"/api/v1/initiatives/{id}/deadline";

    private static HttpRequestMessage Request(long id, string ifMatch)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, Deadline(id))
        {
            Content = new StringContent("""{"deadline":"2026-09-30","reason":"Visa delays"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return request;
    }
}
