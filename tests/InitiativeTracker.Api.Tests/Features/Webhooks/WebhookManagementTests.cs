using System.Net;
using System.Net.Http.Json;
using System.Text;
using InitiativeTracker.Api.Tests.Infrastructure;

namespace InitiativeTracker.Api.Tests.Features.Webhooks;

/// <summary>Creating, reading, changing and deleting webhooks; the URL rules that keep them off internal addresses.</summary>
public sealed class WebhookManagementTests(WebhookManagementTests.Factory factory) : IClassFixture<WebhookManagementTests.Factory>
{
    private const string Public = "https://hooks.example.com/tracker";

    private readonly HttpClient _client = factory.Admin();

    /// <summary>No allowed hosts: every loopback, private or link-local address is refused.</summary>
    public sealed class Factory : TrackerFactory
    {
        public WebhookReceiver Receiver { get; } = new();

        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            // A public-looking name that resolves nowhere in a sandbox is allowed by listing it.
            ["Tracker:Webhooks:AllowedHosts:0"] = "hooks.example.com",
        };

        protected override void Dispose(bool disposing)
        {
            base.Dispose(disposing);
            if (disposing)
            {
                Receiver.Dispose();
            }
        }
    }

    [Fact]
    public async Task CreatesAWebhookShowingTheSecretOnce()
    {
        var response = await _client.PostAsJsonAsync("/api/v1/webhooks", new
        {
            url = Public,
            events = new[] { "initiative.overdue", "initiative.created", "initiative.overdue" },
            secret = "my-own-secret-0123456789",
        });

        var created = await response.ShouldBe(HttpStatusCode.Created);
        var id = created["id"]!.GetValue<long>();
        response.Headers.Location!.OriginalString.Should().Be($"/api/v1/webhooks/{id}");
        response.Headers.ETag!.Tag.Should().Be("\"1\"");
        response.Headers.CacheControl!.NoStore.Should().BeTrue();
        created["url"]!.GetValue<string>().Should().Be(Public);
        created["events"]!.AsArray().Select(e => e!.GetValue<string>()).Should().Equal("initiative.created", "initiative.overdue");
        created["active"]!.GetValue<bool>().Should().BeTrue();
        created["secret"]!.GetValue<string>().Should().Be("my-own-secret-0123456789");
        created["version"]!.GetValue<long>().Should().Be(1);
        created["createdAt"]!.GetValue<string>().Should().Be("2026-03-10T02:00:00Z");

        var fetched = await _client.GetAsync($"/api/v1/webhooks/{id}");
        var body = await fetched.ShouldBe(HttpStatusCode.OK);
        fetched.Headers.ETag!.Tag.Should().Be("\"1\"");
        body.AsObject().Should().NotContainKey("secret");
        body["url"]!.GetValue<string>().Should().Be(Public);

        var list = await (await _client.GetAsync("/api/v1/webhooks?pageSize=200")).ShouldBe(HttpStatusCode.OK);
        list["totalCount"]!.GetValue<long>().Should().BeGreaterThanOrEqualTo(1);
        list["items"]!.AsArray().Should().Contain(w => w!["id"]!.GetValue<long>() == id);
        list.ToJsonString().Should().NotContain("my-own-secret-0123456789");
    }

    [Fact]
    public async Task GeneratesASecretOf32RandomBytesWhenNoneIsGiven()
    {
        var first = await _client.CreateAsync("/api/v1/webhooks", new { url = Public, events = new[] { "initiative.created" } });
        var second = await _client.CreateAsync("/api/v1/webhooks", new { url = Public, events = new[] { "initiative.created" } });

        var secret = first["secret"]!.GetValue<string>();
        secret.Should().MatchRegex("^[0-9a-f]{64}$");
        second["secret"]!.GetValue<string>().Should().NotBe(secret);
    }

    [Theory]
    [InlineData("""{"url":"https://hooks.example.com/x","events":["initiative.exploded"]}""", "events")]
    [InlineData("""{"url":"https://hooks.example.com/x","events":[]}""", "events")]
    [InlineData("""{"url":"https://hooks.example.com/x","events":["ping"]}""", "events")]
    [InlineData("""{"url":"https://hooks.example.com/x"}""", "events")]
    [InlineData("""{"events":["initiative.created"]}""", "url")]
    [InlineData("""{"url":"hooks.example.com/x","events":["initiative.created"]}""", "url")]
    [InlineData("""{"url":"https://user:pass@hooks.example.com/x","events":["initiative.created"]}""", "url")]
    [InlineData("""{"url":"https://hooks.example.com/x","events":["initiative.created"],"secret":"short"}""", "secret")]
    [InlineData("""{"url":"https://hooks.example.com/x","events":"initiative.created"}""", "events")]
    public async Task RejectsAnInvalidWebhookNamingTheField(string json, string field)
    {
        var before = await factory.ScalarAsync<long>("SELECT COUNT(*) FROM webhooks");

        await (await _client.PostJsonAsync("/api/v1/webhooks", json)).ShouldBeProblem(HttpStatusCode.BadRequest, field);

        (await factory.ScalarAsync<long>("SELECT COUNT(*) FROM webhooks")).Should().Be(before);
    }

    [Theory]
    [InlineData("http://127.0.0.1/hook")]
    [InlineData("http://127.1.2.3:8080/hook")]
    [InlineData("http://10.1.2.3/hook")]
    [InlineData("http://172.16.5.4/hook")]
    [InlineData("http://192.168.1.1/hook")]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://100.64.0.1/hook")]
    [InlineData("http://0.0.0.0/hook")]
    [InlineData("http://2130706433/hook")]
    [InlineData("http://[::1]/hook")]
    [InlineData("http://[::]/hook")]
    [InlineData("http://[::ffff:127.0.0.1]/hook")]
    [InlineData("http://[fd00::1]/hook")]
    [InlineData("http://[fe80::1]/hook")]
    [InlineData("http://[64:ff9b::a9fe:a9fe]/hook")]
    [InlineData("http://localhost/hook")]
    [InlineData("http://LOCALHOST./hook")]
    [InlineData("http://api.localhost/hook")]
    [InlineData("ftp://hooks.example.com/hook")]
    [InlineData("file:///etc/passwd")]
    [InlineData("javascript:alert(1)")]
    public async Task RefusesAUrlThatIsNotHttpToAPublicAddress(string url)
    {
        var problem = await (await _client.PostAsJsonAsync("/api/v1/webhooks", new { url, events = new[] { "initiative.created" } }))
            .ShouldBeProblem(HttpStatusCode.BadRequest, "url");

        problem["errors"]!["url"]![0]!.GetValue<string>().Should().NotBeNullOrEmpty();
    }

    [Fact]
    public async Task RefusesLoopbackReceiversWithoutContactingThem()
    {
        var byAddress = factory.Receiver.NewInbox();
        var byName = factory.Receiver.NewInbox(host: "localhost");

        foreach (var url in new[] { byAddress.Url, byName.Url })
        {
            await (await _client.PostAsJsonAsync("/api/v1/webhooks", new { url, events = new[] { "initiative.created" } }))
                .ShouldBeProblem(HttpStatusCode.BadRequest, "url");
        }

        var webhook = await _client.CreateAsync("/api/v1/webhooks", new { url = Public, events = new[] { "initiative.created" } });
        await (await _client.PutAsJsonAsync($"/api/v1/webhooks/{webhook["id"]}", new { url = byName.Url, events = new[] { "initiative.created" } }))
            .ShouldBeProblem(HttpStatusCode.BadRequest, "url");

        byAddress.Received.Should().BeEmpty();
        byName.Received.Should().BeEmpty();
    }

    [Fact]
    public async Task UpdatesUrlEventsAndActiveHonouringIfMatch()
    {
        var created = await _client.CreateAsync("/api/v1/webhooks", new { url = Public, events = new[] { "initiative.created" } });
        var url = $"/api/v1/webhooks/{created["id"]}";

        await (await _client.SendAsync(Put(url, """{"url":"https://hooks.example.com/v2","events":["deadline.changed"]}""", "\"7\"")))
            .ShouldBeProblem(HttpStatusCode.PreconditionFailed);

        var response = await _client.SendAsync(Put(url, """{"url":"https://hooks.example.com/v2","events":["deadline.changed","check_in.created"],"active":false}""", "\"1\""));
        var updated = await response.ShouldBe(HttpStatusCode.OK);
        response.Headers.ETag!.Tag.Should().Be("\"2\"");
        updated["url"]!.GetValue<string>().Should().Be("https://hooks.example.com/v2");
        updated["events"]!.AsArray().Select(e => e!.GetValue<string>()).Should().Equal("check_in.created", "deadline.changed");
        updated["active"]!.GetValue<bool>().Should().BeFalse();
        updated.AsObject().Should().NotContainKey("secret");

        var unchanged = await (await _client.PutAsJsonAsync(url, new { url = "https://hooks.example.com/v2", events = new[] { "deadline.changed" } })).ShouldBe(HttpStatusCode.OK);
        unchanged["active"]!.GetValue<bool>().Should().BeFalse("an absent 'active' leaves it as it is");
        unchanged["version"]!.GetValue<long>().Should().Be(3);

        await (await _client.PutAsJsonAsync(url, new { url = "https://hooks.example.com/v2", events = new[] { "nope" } })).ShouldBeProblem(HttpStatusCode.BadRequest, "events");
        await (await _client.PutAsJsonAsync("/api/v1/webhooks/999999", new { url = Public, events = new[] { "deadline.changed" } })).ShouldBeProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task RefusesToChangeTheSecretAndKeepsSigningWithTheOldOne()
    {
        var created = await _client.CreateAsync("/api/v1/webhooks", new { url = Public, events = new[] { "initiative.created" }, secret = "the-original-secret-0123" });
        var id = created["id"]!.GetValue<long>();
        var before = await factory.SnapshotAsync();

        var problem = await (await _client.PutJsonAsync($"/api/v1/webhooks/{id}",
            """{"url":"https://hooks.example.com/tracker","events":["initiative.created"],"secret":"a-rotated-secret-0123456"}"""))
            .ShouldBeProblem(HttpStatusCode.BadRequest, "secret");

        problem["errors"]!.AsObject().Select(e => e.Key).Should().Equal("secret");
        problem["errors"]!["secret"]![0]!.GetValue<string>().Should().Contain("cannot be changed").And.Contain("POST /api/v1/webhooks");
        (await factory.SnapshotAsync()).Should().Be(before);
        (await factory.ScalarAsync<string>("SELECT secret FROM webhooks WHERE id = @id", new { id })).Should().Be("the-original-secret-0123");
        foreach (var blank in new[] { "\"\"", "\"   \"" })
        {
            await (await _client.PutJsonAsync($"/api/v1/webhooks/{id}",
                $$"""{"url":"https://hooks.example.com/tracker","events":["initiative.created"],"secret":{{blank}}}"""))
                .ShouldBeProblem(HttpStatusCode.BadRequest, "secret");
        }

        // A null secret is no secret: the PUT of a GET body (which never shows one) still works.
        await (await _client.PutJsonAsync($"/api/v1/webhooks/{id}",
            """{"url":"https://hooks.example.com/tracker","events":["initiative.created"],"secret":null}""")).ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task DeletesAWebhookHonouringIfMatch()
    {
        var created = await _client.CreateAsync("/api/v1/webhooks", new { url = Public, events = new[] { "initiative.created" } });
        var url = $"/api/v1/webhooks/{created["id"]}";

        var stale = new HttpRequestMessage(HttpMethod.Delete, url);
        stale.Headers.TryAddWithoutValidation("If-Match", "\"2\"");
        await (await _client.SendAsync(stale)).ShouldBeProblem(HttpStatusCode.PreconditionFailed);

        var current = new HttpRequestMessage(HttpMethod.Delete, url);
        current.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
        (await _client.SendAsync(current)).StatusCode.Should().Be(HttpStatusCode.NoContent);

        await (await _client.GetAsync(url)).ShouldBeProblem(HttpStatusCode.NotFound);
        await (await _client.GetAsync($"{url}/deliveries")).ShouldBeProblem(HttpStatusCode.NotFound);
        await (await _client.DeleteAsync(url)).ShouldBeProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task AuditsManagementWritesWithoutTheSecret()
    {
        var created = await _client.CreateAsync("/api/v1/webhooks", new { url = Public, events = new[] { "initiative.created" }, secret = "never-in-the-audit-trail" });
        var id = created["id"]!.GetValue<long>();
        await (await _client.PutAsJsonAsync($"/api/v1/webhooks/{id}", new { url = Public, events = new[] { "initiative.deleted" } })).ShouldBe(HttpStatusCode.OK);
        (await _client.DeleteAsync($"/api/v1/webhooks/{id}")).StatusCode.Should().Be(HttpStatusCode.NoContent);

        var trail = await (await _client.GetAsync($"/api/v1/audit?entityType=webhook&entityId={id}")).ShouldBe(HttpStatusCode.OK);
        var items = trail["items"]!.AsArray();
        items.Select(i => i!["action"]!.GetValue<string>()).Should().Equal("delete", "update", "create");
        items.Select(i => i!["actor"]!.GetValue<string>()).Should().AllBe("bootstrap");
        items[1]!["changes"]!["events"]!.ToJsonString().Should().Be("""{"before":["initiative.created"],"after":["initiative.deleted"]}""");
        (await factory.ScalarAsync<long>("SELECT COUNT(*) FROM audit_entries WHERE changes LIKE '%never-in-the-audit-trail%'")).Should().Be(0);
    }

    [Fact]
    public async Task ListsDeliveriesNewestFirstAndValidatesTheQuery()
    {
        var created = await _client.CreateAsync("/api/v1/webhooks", new { url = Public, events = new[] { "initiative.created" } });
        var url = $"/api/v1/webhooks/{created["id"]}/deliveries";

        var empty = await (await _client.GetAsync(url)).ShouldBe(HttpStatusCode.OK);
        empty["items"]!.AsArray().Should().BeEmpty();
        empty["totalCount"]!.GetValue<long>().Should().Be(0);
        await (await _client.GetAsync($"{url}?sort=secret")).ShouldBeProblem(HttpStatusCode.BadRequest, "sort");
        await (await _client.GetAsync($"{url}?status=lost")).ShouldBeProblem(HttpStatusCode.BadRequest, "status");
        await (await _client.GetAsync($"{url}?event=nope")).ShouldBeProblem(HttpStatusCode.BadRequest, "event");
        await (await _client.GetAsync($"{url}/123456")).ShouldBeProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task RequiresAnApiKey()
    {
        var anonymous = factory.CreateClient();

        await (await anonymous.GetAsync("/api/v1/webhooks")).ShouldBeProblem(HttpStatusCode.Unauthorized);
        await (await anonymous.PostAsJsonAsync("/api/v1/webhooks", new { url = Public, events = new[] { "initiative.created" } }))
            .ShouldBeProblem(HttpStatusCode.Unauthorized);
        await (await anonymous.PostAsync("/api/v1/webhooks/1/ping", null)).ShouldBeProblem(HttpStatusCode.Unauthorized);
    }

    private static HttpRequestMessage Put(string url, string json, string ifMatch)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, url) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return request;
    }
}
