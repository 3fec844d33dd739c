using System.Net;
using System.Text.Json.Nodes;
using InitiativeTracker.Api.Tests.Infrastructure;

namespace InitiativeTracker.Api.Tests.Contract;

/// <summary>
/// A PUT or PATCH that changes no field is not a write: it answers 200 with the resource exactly as it
/// was (same version, ETag and updatedAt), and leaves no audit entry, no webhook event, nothing at all
/// in the database. If-Match still applies to it.
/// </summary>
public sealed class UnchangedWriteTests(UnchangedWriteTests.Factory factory) : IClassFixture<UnchangedWriteTests.Factory>
{
    private readonly HttpClient _client = factory.Admin();

    /// <summary>A webhook subscribed to every write event, so an event queued by mistake shows in the database.</summary>
    public sealed class Factory : TrackerFactory, IAsyncLifetime
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Tracker:Webhooks:AllowedHosts:0"] = "hooks.example.com",
        };

        public async Task InitializeAsync() => await Admin().CreateAsync("/api/v1/webhooks", new
        {
            url = "https://hooks.example.com/unchanged",
            events = new[] { "initiative.created", "initiative.updated", "initiative.deleted", "check_in.created", "deadline.changed" },
        });

        Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
    }

    /// <summary>The resource and how to send it back: its GET body as it is, or with its main text padded (trimmed back to what it was).</summary>
    public static TheoryData<string, string> Writes()
    {
        var data = new TheoryData<string, string>();
        foreach (var resource in new[] { "meetings", "directions", "owners", "task-forces", "initiatives", "webhooks" })
        {
            data.Add(resource, "PUT the GET body");
            data.Add(resource, "PUT the GET body with padded text");
        }

        data.Add("initiatives", "PATCH nothing");
        data.Add("initiatives", "PATCH the same title");
        return data;
    }

    [Theory]
    [MemberData(nameof(Writes))]
    public async Task AnswersTheResourceAsItWasAndWritesNothing(string resource, string write)
    {
        var (url, entityType) = await NewAsync(resource);
        var fetched = await _client.GetAsync(url);
        var body = (await fetched.ShouldBe(HttpStatusCode.OK)).AsObject();
        var etag = fetched.Headers.ETag!.Tag;
        var audit = await AuditCountAsync(entityType, body["id"]!.GetValue<long>());
        var before = await factory.SnapshotAsync();
        factory.Clock.Advance(TimeSpan.FromMinutes(5));

        var response = await SendAsync(url, body, write, etag);

        var answered = await response.ShouldBe(HttpStatusCode.OK);
        answered.ToJsonString().Should().Be(body.ToJsonString(), "the answer is the resource as it was, version and updatedAt included");
        response.Headers.ETag!.Tag.Should().Be(etag);
        (await AuditCountAsync(entityType, body["id"]!.GetValue<long>())).Should().Be(audit, "an unchanged resource gets no audit entry");
        (await factory.SnapshotAsync()).Should().Be(before, "nothing is written: no version bump, no audit entry, no webhook event");
    }

    [Theory]
    [MemberData(nameof(Writes))]
    public async Task AStaleIfMatchIsAPreconditionFailureEvenWhenNothingWouldChange(string resource, string write)
    {
        var (url, _) = await NewAsync(resource);
        var body = (await (await _client.GetAsync(url)).ShouldBe(HttpStatusCode.OK)).AsObject();
        var before = await factory.SnapshotAsync();

        var response = await SendAsync(url, body, write, "\"99\"");

        await response.ShouldBeProblem(HttpStatusCode.PreconditionFailed);
        (await factory.SnapshotAsync()).Should().Be(before);
    }

    [Fact]
    public async Task AWriteThatChangesSomethingStillBumpsTheVersionAuditsAndQueuesItsEvent()
    {
        // The control: the subscription above does see a real change.
        var (url, _) = await NewAsync("initiatives");
        var deliveries = await factory.ScalarAsync<long>("SELECT COUNT(*) FROM webhook_deliveries WHERE event = 'initiative.updated'");

        var response = await _client.PatchMergeAsync(url, """{"title":"A real change"}""", ifMatch: "\"1\"");

        (await response.ShouldBe(HttpStatusCode.OK))["version"]!.GetValue<long>().Should().Be(2);
        response.Headers.ETag!.Tag.Should().Be("\"2\"");
        (await factory.ScalarAsync<long>("SELECT COUNT(*) FROM webhook_deliveries WHERE event = 'initiative.updated'")).Should().Be(deliveries + 1);
    }

    /// <summary>Direction numbers are unique per meeting: each case takes the next (a random one collided now and then).</summary>
    private static int s_directionNumber = 100;

    private async Task<(string Url, string EntityType)> NewAsync(string resource)
    {
        var unique = Guid.NewGuid().ToString("N")[..8];
        var owner = await _client.IdOfAsync("/api/v1/owners", new { name = $"Unchanged owner {unique}", email = $"unchanged.{unique}@xjtu.edu.cn", unit = "Office" });
        var id = resource switch
        {
            "meetings" => await _client.IdOfAsync("/api/v1/meetings", new { title = "Unchanged meeting", heldOn = "2026-02-01", location = "Xi'an", summary = "Two\nlines" }),
            "directions" => await _client.IdOfAsync("/api/v1/directions", new { meetingId = 1, number = Interlocked.Increment(ref s_directionNumber), title = "Unchanged direction", description = "d" }),
            "owners" => owner,
            "task-forces" => await _client.IdOfAsync("/api/v1/task-forces", new { name = $"Unchanged task force {unique}", mandate = "m", leadId = owner }),
            "initiatives" => await _client.IdOfAsync("/api/v1/initiatives", new
            {
                directionId = 1, ownerId = owner, title = "Unchanged initiative", description = "d", startDate = "2026-01-01", deadline = "2026-12-31",
            }),
            "webhooks" => await _client.IdOfAsync("/api/v1/webhooks", new { url = $"https://hooks.example.com/{unique}", events = new[] { "report.overdue_digest", "initiative.overdue" } }),
            _ => throw new ArgumentOutOfRangeException(nameof(resource)),
        };
        var entityType = resource switch
        {
            "task-forces" => "task_force",
            _ => resource.TrimEnd('s'),
        };
        return ($"/api/v1/{resource}/{id}", entityType);
    }

    private Task<HttpResponseMessage> SendAsync(string url, JsonObject body, string write, string ifMatch)
    {
        switch (write)
        {
            case "PATCH nothing":
                return _client.PatchMergeAsync(url, "{}", ifMatch);
            case "PATCH the same title":
                return _client.PatchMergeAsync(url, new JsonObject { ["title"] = body["title"]!.DeepClone() }.ToJsonString(), ifMatch);
            case "PUT the GET body with padded text":
                var padded = (JsonObject)body.DeepClone();
                var field = new[] { "title", "name", "url" }.First(padded.ContainsKey);
                padded[field] = $"  {padded[field]!.GetValue<string>()}\t";
                return _client.SendJsonAsync(HttpMethod.Put, url, padded.ToJsonString(), ifMatch: ifMatch);
            default:
                return _client.SendJsonAsync(HttpMethod.Put, url, body.ToJsonString(), ifMatch: ifMatch);
        }
    }

    private async Task<long> AuditCountAsync(string entityType, long id) =>
        (await (await _client.GetAsync($"/api/v1/audit?entityType={entityType}&entityId={id}")).ShouldBe(HttpStatusCode.OK))["totalCount"]!.GetValue<long>();
}
