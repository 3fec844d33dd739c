using System.Net;
using System.Net.Http.Json;
using System.Text;
using InitiativeTracker.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace InitiativeTracker.Api.Tests.Security;

/// <summary>Data every row of the matrix can use, and a client per role (a stored key each; "anonymous" sends none).</summary>
public sealed class RoleMatrixFixture : TrackerFactory, IAsyncLifetime
{
    /// <summary>A loopback address nothing listens on: the matrix's webhooks are never delivered anywhere.</summary>
    private const string HookUrl = "http://127.0.0.1:9/matrix-hook";

    private int _sequence = 100;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Tracker:Webhooks:AllowedHosts:0"] = "127.0.0.1",
        // Email on (so the test message is queued), to a port nothing listens on; the email loop is left out.
        ["Tracker:Email:Smtp:Host"] = "127.0.0.1",
        ["Tracker:Email:Smtp:Port"] = "9",
        ["Tracker:Email:From"] = "tracker@example.edu",
        ["Tracker:Email:PublicUrl"] = "https://tracker.example.edu",
    };

    public Dictionary<string, HttpClient> Clients { get; } = [];

    /// <summary>The owner the lead key acts for; initiatives the matrix writes belong to it.</summary>
    public long LeadOwnerId { get; private set; }

    public long TaskForceId { get; private set; }

    public long InitiativeId { get; private set; }

    public long ViewerKeyId { get; private set; }

    public int Next() => Interlocked.Increment(ref _sequence);

    public async Task InitializeAsync()
    {
        var admin = Admin();
        LeadOwnerId = await admin.IdOfAsync("/api/v1/owners", new { name = "Matrix lead owner" });
        TaskForceId = await admin.IdOfAsync("/api/v1/task-forces", new { name = "Matrix task force", leadId = LeadOwnerId });
        InitiativeId = await NewInitiativeAsync();
        Clients["admin"] = WithKey((await admin.CreateKeyAsync("admin")).Key);
        Clients["lead"] = WithKey((await admin.CreateKeyAsync("lead", LeadOwnerId)).Key);
        Clients["coordinator"] = WithKey((await admin.CreateKeyAsync("coordinator")).Key);
        var viewer = await admin.CreateKeyAsync("viewer");
        ViewerKeyId = viewer.Id;
        Clients["viewer"] = WithKey(viewer.Key);
        Clients["anonymous"] = CreateClient();
    }

    Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;

    public Task<long> NewMeetingAsync() => Admin().IdOfAsync("/api/v1/meetings", new { title = $"Meeting {Next()}", heldOn = "2026-01-01" });

    public Task<long> NewOwnerAsync() => Admin().IdOfAsync("/api/v1/owners", new { name = $"Owner {Next()}" });

    public Task<long> NewTaskForceAsync() => Admin().IdOfAsync("/api/v1/task-forces", new { name = $"Task force {Next()}" });

    public async Task<(long Id, int Number)> NewDirectionAsync()
    {
        var number = Next();
        return (await Admin().IdOfAsync("/api/v1/directions", new { meetingId = 1, number, title = $"Direction {number}" }), number);
    }

    public Task<long> NewInitiativeAsync() => Admin().IdOfAsync("/api/v1/initiatives",
        new { directionId = 1, ownerId = LeadOwnerId, taskForceId = TaskForceId, title = $"Initiative {Next()}", deadline = "2026-12-31" });

    public Task<long> NewCheckInAsync() => Admin().IdOfAsync($"/api/v1/initiatives/{InitiativeId}/check-ins", new { progress = 5, health = "on_track" });

    public Task<long> NewWebhookAsync() => Admin().IdOfAsync("/api/v1/webhooks", new { url = HookUrl, events = new[] { "initiative.created" } });

    /// <summary>A webhook with one (ping) delivery: its id and the delivery's id.</summary>
    public async Task<(long Webhook, string Delivery)> NewDeliveryAsync()
    {
        var webhook = await NewWebhookAsync();
        var ping = await Admin().PostAsync($"/api/v1/webhooks/{webhook}/ping", null);
        var body = await ping.ShouldBe(System.Net.HttpStatusCode.Accepted);
        return (webhook, body["deliveryId"]!.GetValue<string>());
    }

    public static object NewWebhookBody() => new { url = HookUrl, events = new[] { "check_in.created" } };

    public async Task<long> NewKeyAsync() => (await Admin().CreateKeyAsync("viewer")).Id;

    public Task<long> NewSubscriptionAsync() => Admin().IdOfAsync("/api/v1/email-subscriptions", new { email = $"matrix{Next()}@example.edu" });

    /// <summary>A queued test message's outbox id.</summary>
    public async Task<long> NewOutboxEntryAsync()
    {
        var queued = await Admin().PostAsJsonAsync("/api/v1/email/test", new { email = "matrix@example.edu" });
        return (await queued.ShouldBe(System.Net.HttpStatusCode.Accepted))["id"]!.GetValue<long>();
    }

    /// <summary>The one-click unsubscribe path of a new subscription, signed as the service signs it.</summary>
    public async Task<string> NewUnsubscribePathAsync()
    {
        var token = await Services.GetRequiredService<Api.Features.Email.UnsubscribeLinks>()
            .TokenAsync(new Api.Features.Email.UnsubscribeTarget(IsOwner: false, await NewSubscriptionAsync()), CancellationToken.None);
        return $"/api/v1/email/unsubscribe/{token}";
    }
}

/// <summary>
/// The spec's role table, endpoint by endpoint. Every /api/v1 endpoint must name its authorization policy
/// (not lean on the fallback) and must have a row here, so a new endpoint cannot ship without one.
/// </summary>
public sealed class RoleMatrixTests(RoleMatrixFixture fixture) : IClassFixture<RoleMatrixFixture>
{
    /// <summary>Who may call an endpoint, as the spec's security table says.</summary>
    public enum Access
    {
        /// <summary>Every role.</summary>
        Read,

        /// <summary>Every role but viewer.</summary>
        ReadAudit,

        /// <summary>Admins, and leads within their scope (the matrix's initiatives are in the lead's).</summary>
        WriteInitiatives,

        /// <summary>Admins only: reference data, keys, webhooks, the email outbox and deleting initiatives.</summary>
        Admin,

        /// <summary>Admins and coordinators: email subscriptions.</summary>
        EmailSubscriptions,

        /// <summary>Anyone, without a key: the one-click unsubscribe, whose signed link is its credential.</summary>
        Public,
    }

    public static readonly string[] Roles = ["admin", "lead", "coordinator", "viewer", "anonymous"];

    private static readonly Dictionary<string, (Access Access, Func<RoleMatrixFixture, Task<HttpRequestMessage>> Request)> s_matrix = new()
    {
        ["GET /api/v1/meetings"] = (Access.Read, _ => Get("/api/v1/meetings")),
        ["GET /api/v1/meetings/{id:long}"] = (Access.Read, _ => Get("/api/v1/meetings/1")),
        ["POST /api/v1/meetings"] = (Access.Admin, f => Send(HttpMethod.Post, "/api/v1/meetings", new { title = $"Meeting {f.Next()}", heldOn = "2026-02-01" })),
        ["PUT /api/v1/meetings/{id:long}"] = (Access.Admin, async f =>
            await Send(HttpMethod.Put, $"/api/v1/meetings/{await f.NewMeetingAsync()}", new { title = "Renamed", heldOn = "2026-02-01" })),

        ["GET /api/v1/directions"] = (Access.Read, _ => Get("/api/v1/directions")),
        ["GET /api/v1/directions/{id:long}"] = (Access.Read, _ => Get("/api/v1/directions/1")),
        ["POST /api/v1/directions"] = (Access.Admin, f => Send(HttpMethod.Post, "/api/v1/directions", new { meetingId = 1, number = f.Next(), title = "New direction" })),
        ["PUT /api/v1/directions/{id:long}"] = (Access.Admin, async f =>
        {
            var (id, number) = await f.NewDirectionAsync();
            return await Send(HttpMethod.Put, $"/api/v1/directions/{id}", new { meetingId = 1, number, title = "Renamed" });
        }),
        ["DELETE /api/v1/directions/{id:long}"] = (Access.Admin, async f => await Delete($"/api/v1/directions/{(await f.NewDirectionAsync()).Id}")),

        ["GET /api/v1/owners"] = (Access.Read, _ => Get("/api/v1/owners")),
        ["GET /api/v1/owners/{id:long}"] = (Access.Read, f => Get($"/api/v1/owners/{f.LeadOwnerId}")),
        ["POST /api/v1/owners"] = (Access.Admin, f => Send(HttpMethod.Post, "/api/v1/owners", new { name = $"Owner {f.Next()}" })),
        ["PUT /api/v1/owners/{id:long}"] = (Access.Admin, async f => await Send(HttpMethod.Put, $"/api/v1/owners/{await f.NewOwnerAsync()}", new { name = "Renamed" })),
        ["DELETE /api/v1/owners/{id:long}"] = (Access.Admin, async f => await Delete($"/api/v1/owners/{await f.NewOwnerAsync()}")),

        ["GET /api/v1/task-forces"] = (Access.Read, _ => Get("/api/v1/task-forces")),
        ["GET /api/v1/task-forces/{id:long}"] = (Access.Read, f => Get($"/api/v1/task-forces/{f.TaskForceId}")),
        ["POST /api/v1/task-forces"] = (Access.Admin, f => Send(HttpMethod.Post, "/api/v1/task-forces", new { name = $"Task force {f.Next()}" })),
        ["PUT /api/v1/task-forces/{id:long}"] = (Access.Admin, async f =>
            await Send(HttpMethod.Put, $"/api/v1/task-forces/{await f.NewTaskForceAsync()}", new { name = $"Renamed {f.Next()}" })),
        ["DELETE /api/v1/task-forces/{id:long}"] = (Access.Admin, async f => await Delete($"/api/v1/task-forces/{await f.NewTaskForceAsync()}")),

        ["GET /api/v1/initiatives"] = (Access.Read, _ => Get("/api/v1/initiatives")),
        ["GET /api/v1/initiatives/{id:long}"] = (Access.Read, f => Get($"/api/v1/initiatives/{f.InitiativeId}")),
        ["POST /api/v1/initiatives"] = (Access.WriteInitiatives, f => Send(HttpMethod.Post, "/api/v1/initiatives",
            new { directionId = 1, ownerId = f.LeadOwnerId, title = $"Initiative {f.Next()}", deadline = "2026-12-31" })),
        ["PUT /api/v1/initiatives/{id:long}"] = (Access.WriteInitiatives, async f =>
            await Send(HttpMethod.Put, $"/api/v1/initiatives/{await f.NewInitiativeAsync()}",
                new { directionId = 1, ownerId = f.LeadOwnerId, taskForceId = f.TaskForceId, title = "Replaced" })),
        ["PATCH /api/v1/initiatives/{id:long}"] = (Access.WriteInitiatives, async f => new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/initiatives/{await f.NewInitiativeAsync()}")
        {
            Content = new StringContent("""{"title":"Patched"}""", Encoding.UTF8, "application/merge-patch+json"),
        }),
        // The spec's lead may create, edit, check in and move deadlines, not delete (cancelling is preferred).
        ["DELETE /api/v1/initiatives/{id:long}"] = (Access.Admin, async f => await Delete($"/api/v1/initiatives/{await f.NewInitiativeAsync()}")),

        ["POST /api/v1/initiatives/import"] = (Access.WriteInitiatives, f => Send(HttpMethod.Post, "/api/v1/initiatives/import",
            new[] { new { directionId = 1, ownerId = f.LeadOwnerId, title = $"Imported {f.Next()}", deadline = "2026-12-31" } })),
        ["GET /api/v1/initiatives/{id:long}/check-ins"] = (Access.Read, f => Get($"/api/v1/initiatives/{f.InitiativeId}/check-ins")),
        ["GET /api/v1/initiatives/{id:long}/check-ins/{checkInId:long}"] = (Access.Read, async f =>
            await Get($"/api/v1/initiatives/{f.InitiativeId}/check-ins/{await f.NewCheckInAsync()}")),
        ["POST /api/v1/initiatives/{id:long}/check-ins"] = (Access.WriteInitiatives, async f =>
            await Send(HttpMethod.Post, $"/api/v1/initiatives/{await f.NewInitiativeAsync()}/check-ins", new { progress = 10, health = "on_track" })),
        ["PUT /api/v1/initiatives/{id:long}/deadline"] = (Access.WriteInitiatives, async f =>
            await Send(HttpMethod.Put, $"/api/v1/initiatives/{await f.NewInitiativeAsync()}/deadline", new { deadline = "2027-06-30", reason = "Matrix" })),
        ["GET /api/v1/initiatives/{id:long}/deadline-changes"] = (Access.Read, f => Get($"/api/v1/initiatives/{f.InitiativeId}/deadline-changes")),
        ["GET /api/v1/audit"] = (Access.ReadAudit, _ => Get("/api/v1/audit")),
        ["GET /api/v1/reports/overdue"] = (Access.Read, _ => Get("/api/v1/reports/overdue")),
        ["GET /api/v1/reports/upcoming"] = (Access.Read, _ => Get("/api/v1/reports/upcoming")),
        ["GET /api/v1/reports/progress"] = (Access.Read, _ => Get("/api/v1/reports/progress")),
        ["GET /api/v1/reports/execution"] = (Access.Read, _ => Get("/api/v1/reports/execution")),
        ["GET /api/v1/reports/trend"] = (Access.Read, _ => Get("/api/v1/reports/trend")),

        ["GET /api/v1/webhooks"] = (Access.Admin, _ => Get("/api/v1/webhooks")),
        ["GET /api/v1/webhooks/{id:long}"] = (Access.Admin, async f => await Get($"/api/v1/webhooks/{await f.NewWebhookAsync()}")),
        ["POST /api/v1/webhooks"] = (Access.Admin, _ => Send(HttpMethod.Post, "/api/v1/webhooks", RoleMatrixFixture.NewWebhookBody())),
        ["PUT /api/v1/webhooks/{id:long}"] = (Access.Admin, async f =>
            await Send(HttpMethod.Put, $"/api/v1/webhooks/{await f.NewWebhookAsync()}", RoleMatrixFixture.NewWebhookBody())),
        ["DELETE /api/v1/webhooks/{id:long}"] = (Access.Admin, async f => await Delete($"/api/v1/webhooks/{await f.NewWebhookAsync()}")),
        ["GET /api/v1/webhooks/{id:long}/deliveries"] = (Access.Admin, async f => await Get($"/api/v1/webhooks/{await f.NewWebhookAsync()}/deliveries")),
        ["GET /api/v1/webhooks/{id:long}/deliveries/{deliveryId}"] = (Access.Admin, async f =>
        {
            var (webhook, delivery) = await f.NewDeliveryAsync();
            return await Get($"/api/v1/webhooks/{webhook}/deliveries/{delivery}");
        }),
        ["POST /api/v1/webhooks/{id:long}/ping"] = (Access.Admin, async f =>
            new HttpRequestMessage(HttpMethod.Post, $"/api/v1/webhooks/{await f.NewWebhookAsync()}/ping")),
        ["POST /api/v1/webhooks/{id:long}/deliveries/{deliveryId}/redeliver"] = (Access.Admin, async f =>
        {
            var (webhook, delivery) = await f.NewDeliveryAsync();
            return new HttpRequestMessage(HttpMethod.Post, $"/api/v1/webhooks/{webhook}/deliveries/{delivery}/redeliver");
        }),

        ["GET /api/v1/email-subscriptions"] = (Access.EmailSubscriptions, _ => Get("/api/v1/email-subscriptions")),
        ["GET /api/v1/email-subscriptions/{id:long}"] = (Access.EmailSubscriptions, async f => await Get($"/api/v1/email-subscriptions/{await f.NewSubscriptionAsync()}")),
        ["POST /api/v1/email-subscriptions"] = (Access.EmailSubscriptions, f =>
            Send(HttpMethod.Post, "/api/v1/email-subscriptions", new { email = $"matrix{f.Next()}@example.edu" })),
        ["DELETE /api/v1/email-subscriptions/{id:long}"] = (Access.EmailSubscriptions, async f => await Delete($"/api/v1/email-subscriptions/{await f.NewSubscriptionAsync()}")),
        ["GET /api/v1/email/outbox"] = (Access.Admin, _ => Get("/api/v1/email/outbox")),
        ["GET /api/v1/email/outbox/{id:long}"] = (Access.Admin, async f => await Get($"/api/v1/email/outbox/{await f.NewOutboxEntryAsync()}")),
        ["POST /api/v1/email/test"] = (Access.Admin, _ => Send(HttpMethod.Post, "/api/v1/email/test", new { email = "matrix@example.edu" })),
        ["POST /api/v1/email/unsubscribe/{token}"] = (Access.Public, async f => new HttpRequestMessage(HttpMethod.Post, await f.NewUnsubscribePathAsync())),

        ["GET /api/v1/api-keys"] = (Access.Admin, _ => Get("/api/v1/api-keys")),
        ["GET /api/v1/api-keys/{id:long}"] = (Access.Admin, f => Get($"/api/v1/api-keys/{f.ViewerKeyId}")),
        ["POST /api/v1/api-keys"] = (Access.Admin, f => Send(HttpMethod.Post, "/api/v1/api-keys", new { name = $"Matrix key {f.Next()}", role = "viewer" })),
        ["DELETE /api/v1/api-keys/{id:long}"] = (Access.Admin, async f => await Delete($"/api/v1/api-keys/{await f.NewKeyAsync()}")),
    };

    public static TheoryData<string, string> Cells()
    {
        var cells = new TheoryData<string, string>();
        foreach (var endpoint in s_matrix.Keys)
        {
            foreach (var role in Roles)
            {
                cells.Add(endpoint, role);
            }
        }

        return cells;
    }

    [Fact]
    public void EveryApiEndpointNamesItsOwnAuthorizationPolicy()
    {
        var unguarded = ApiEndpoints()
            .Where(e => e.Endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null
                || !e.Endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Any(a => !string.IsNullOrEmpty(a.Policy)))
            .Select(e => e.Key);

        // The public ones are named in the matrix (Access.Public), each on purpose.
        unguarded.Should().BeEquivalentTo(s_matrix.Where(row => row.Value.Access == Access.Public).Select(row => row.Key),
            "every /api/v1 endpoint must say which policy guards it instead of leaning on the fallback, or be public by name");
    }

    [Fact]
    public void TheMatrixCoversEveryApiEndpoint()
    {
        ApiEndpoints().Select(e => e.Key).Should().BeEquivalentTo(s_matrix.Keys,
            "each /api/v1 endpoint needs a row in the role matrix (and each row an endpoint)");
    }

    [Theory]
    [MemberData(nameof(Cells))]
    public async Task EachRoleGetsWhatTheSpecAllows(string endpoint, string role)
    {
        var (access, build) = s_matrix[endpoint];
        using var request = await build(fixture);

        using var response = await fixture.Clients[role].SendAsync(request);

        var body = await response.Content.ReadAsStringAsync();
        if (access == Access.Public)
        {
            ((int)response.StatusCode).Should().BeInRange(200, 299, body);
        }
        else if (role == "anonymous")
        {
            response.StatusCode.Should().Be(HttpStatusCode.Unauthorized, body);
        }
        else if (Allowed(access, role))
        {
            ((int)response.StatusCode).Should().BeInRange(200, 299, body);
        }
        else
        {
            response.StatusCode.Should().Be(HttpStatusCode.Forbidden, body);
            response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        }
    }

    private static bool Allowed(Access access, string role) => access switch
    {
        Access.Read => true,
        Access.ReadAudit => role != "viewer",
        Access.WriteInitiatives => role is "admin" or "lead",
        Access.Admin => role == "admin",
        Access.EmailSubscriptions => role is "admin" or "coordinator",
        Access.Public => true,
        _ => false,
    };

    private IEnumerable<(string Key, RouteEndpoint Endpoint)> ApiEndpoints() =>
        fixture.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/v1/", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["*"])
                .Select(method => ($"{method} {e.RoutePattern.RawText!.TrimEnd('/')}", e)));

    private static Task<HttpRequestMessage> Get(string url) => Task.FromResult(new HttpRequestMessage(HttpMethod.Get, url));

    private static Task<HttpRequestMessage> Delete(string url) => Task.FromResult(new HttpRequestMessage(HttpMethod.Delete, url));

    private static Task<HttpRequestMessage> Send(HttpMethod method, string url, object body) =>
        Task.FromResult(new HttpRequestMessage(method, url) { Content = JsonContent.Create(body) });
}
