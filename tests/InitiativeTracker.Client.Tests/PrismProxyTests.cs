using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using InitiativeTracker.Api.Tests.Infrastructure;
using InitiativeTracker.Client.Tests.Infrastructure;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Data.Sqlite;

namespace InitiativeTracker.Client.Tests;

/// <summary>
/// The service as outside reviewers see it: the real process behind Stoplight Prism in proxy mode with
/// <c>--errors</c>, an independent validator of every request and answer against openapi.yaml. Each test
/// drives the service through Prism and fails on anything Prism finds (its own problem answers, the
/// <c>sl-violations</c> header). The workflow gets a success answer from every operation the document lists.
/// </summary>
[Trait("Category", "Contract")]
public sealed class PrismProxyTests(PrismStacks stacks) : IClassFixture<PrismStacks>
{
    [Fact]
    public async Task EveryOperationAnswersItsSuccessAsTheDocumentSays()
    {
        var api = stacks.Main.Client(ServiceProcess.AdminKey);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        string Day(int days) => today.AddDays(days).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        (await api.SendAsync(HttpMethod.Get, "/health/live")).Status.Should().Be(HttpStatusCode.OK);
        (await api.SendAsync(HttpMethod.Get, "/health/ready")).Status.Should().Be(HttpStatusCode.OK);

        var meeting = await api.CreateAsync("/api/v1/meetings", new { title = "Prism review meeting", heldOn = Day(-30), location = "Xi'an" });
        await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, "/api/v1/meetings?sort=-heldOn&page=1&pageSize=10");
        var etag = (await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/api/v1/meetings/{meeting}")).ETag;
        await api.ExpectAsync(HttpStatusCode.NotModified, HttpMethod.Get, $"/api/v1/meetings/{meeting}", ifNoneMatch: etag);
        await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, $"/api/v1/meetings/{meeting}",
            new { title = "Prism review meeting, revised", heldOn = Day(-30), summary = "Three directions." }, ifMatch: etag);

        var direction = await api.CreateAsync("/api/v1/directions", new { meetingId = meeting, number = 1, title = "Technology transfer" });
        var spareDirection = await api.CreateAsync("/api/v1/directions", new { meetingId = meeting, number = 2, title = "Spare direction" });
        await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/api/v1/directions?meetingId={meeting}&sort=number");
        etag = (await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/api/v1/directions/{direction}")).ETag;
        await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, $"/api/v1/directions/{direction}",
            new { meetingId = meeting, number = 1, title = "Technology transfer and exchange", description = "Joint centres." }, ifMatch: etag);

        var owner = await api.CreateAsync("/api/v1/owners", new { name = "Prism Owner", email = "prism.owner@example.edu", unit = "International Office" });
        var spareOwner = await api.CreateAsync("/api/v1/owners", new { name = "Spare Owner", email = "spare.owner@example.edu" });
        await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, "/api/v1/owners?q=Prism&sort=name");
        etag = (await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/api/v1/owners/{owner}")).ETag;
        await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, $"/api/v1/owners/{owner}",
            new { name = "Prism Owner", email = "prism.owner@example.edu", unit = "Research Office" }, ifMatch: etag);

        var taskForce = await api.CreateAsync("/api/v1/task-forces", new { name = "Prism Task Force", mandate = "Check the contract", leadId = owner });
        var spareTaskForce = await api.CreateAsync("/api/v1/task-forces", new { name = "Spare Task Force" });
        await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/api/v1/task-forces?leadId={owner}");
        etag = (await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/api/v1/task-forces/{taskForce}")).ETag;
        await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, $"/api/v1/task-forces/{taskForce}",
            new { name = "Prism Task Force", mandate = "Check every answer", leadId = owner }, ifMatch: etag);

        var initiative = await api.CreateAsync("/api/v1/initiatives", new
        {
            directionId = direction, ownerId = owner, taskForceId = taskForce, title = "Joint centre in Almaty",
            description = "With two partner universities", startDate = Day(-20), deadline = Day(5),
        });
        var overdue = await api.CreateAsync("/api/v1/initiatives", new { directionId = direction, ownerId = owner, title = "Summer school", deadline = Day(-3) });
        await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get,
            $"/api/v1/initiatives?directionId={direction}&ownerId={owner}&status=planned&status=in_progress&health=on_track&dueBefore={Day(30)}&dueAfter={Day(-30)}&q=centre&sort=deadline,-updatedAt");
        await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, "/api/v1/initiatives?overdue=true");
        etag = (await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/api/v1/initiatives/{initiative}")).ETag;
        etag = (await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, $"/api/v1/initiatives/{initiative}", new
        {
            directionId = direction, ownerId = owner, taskForceId = taskForce, title = "Joint centre in Almaty",
            description = "With three partner universities", startDate = Day(-20),
        }, ifMatch: etag)).ETag;
        etag = (await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Patch, $"/api/v1/initiatives/{initiative}",
            JsonBody(new { description = "With four partner universities" }, "application/merge-patch+json"), ifMatch: etag)).ETag;

        var checkIn = await api.CreateAsync($"/api/v1/initiatives/{initiative}/check-ins",
            new { progress = 30, status = "in_progress", health = "at_risk", note = "Partners signed." }, ifMatch: etag);
        await api.CreateAsync($"/api/v1/initiatives/{overdue}/check-ins", new { progress = 10, health = "off_track" });
        await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/api/v1/initiatives/{initiative}/check-ins?sort=-reportedAt");
        var checkInTag = (await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/api/v1/initiatives/{initiative}/check-ins/{checkIn}")).ETag;
        await api.ExpectAsync(HttpStatusCode.NotModified, HttpMethod.Get, $"/api/v1/initiatives/{initiative}/check-ins/{checkIn}", ifNoneMatch: checkInTag);
        etag = (await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/api/v1/initiatives/{initiative}")).ETag;
        await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, $"/api/v1/initiatives/{initiative}/deadline",
            new { deadline = Day(40), reason = "The partners asked for more time." }, ifMatch: etag);
        await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/api/v1/initiatives/{initiative}/deadline-changes");

        var imported = await api.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/v1/initiatives/import", new[]
        {
            new { directionId = direction, ownerId = owner, title = "Imported from JSON", deadline = Day(10) },
        });
        var importedId = imported.Json!["ids"]![0]!.GetValue<long>();
        await api.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/v1/initiatives/import", new StringContent(
            $"directionId,ownerId,taskForceId,title,deadline\r\n{direction},{owner},{taskForce},\"Imported from CSV, with a comma\",{Day(12)}\r\n",
            Encoding.UTF8, "text/csv"));
        await api.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Delete, $"/api/v1/initiatives/{importedId}");

        foreach (var report in new[]
        {
            $"overdue?groupBy=owner&directionId={direction}", "overdue?groupBy=taskForce&page=1&pageSize=5", "upcoming?withinDays=30&groupBy=direction",
            $"progress?asOf={Day(0)}&tz=Asia/Shanghai", "execution?groupBy=owner&staleAfterDays=7", "execution?groupBy=taskForce",
            $"trend?from={Day(-28)}&to={Day(0)}&interval=week&groupBy=direction", $"trend?from={Day(-3)}&to={Day(0)}&interval=day",
        })
        {
            await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/api/v1/reports/{report}");
            var csv = await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/api/v1/reports/{report}&format=csv");
            csv.MediaType.Should().Be("text/csv", $"{report}&format=csv answers CSV");
        }

        (await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, "/api/v1/reports/overdue", accept: "text/csv")).MediaType.Should().Be("text/csv");
        await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/api/v1/audit?entityType=initiative&entityId={initiative}&actor=bootstrap&from={Day(-1)}&to={Day(1)}&sort=-occurredAt");

        var viewerKey = await api.CreateAsync("/api/v1/api-keys", new { name = "prism-viewer", role = "viewer" });
        await api.CreateAsync("/api/v1/api-keys", new { name = "prism-lead", role = "lead", ownerId = owner, expiresAt = DateTime.UtcNow.AddDays(30) });
        await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, "/api/v1/api-keys?revoked=false&sort=name");
        etag = (await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/api/v1/api-keys/{viewerKey}")).ETag;
        await api.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Delete, $"/api/v1/api-keys/{viewerKey}", ifMatch: etag);

        var webhook = await api.CreateAsync("/api/v1/webhooks",
            new { url = $"http://127.0.0.1:{stacks.ClosedPort}/hook", events = new[] { "initiative.created", "check_in.created" }, secret = "a-secret-of-sixteen-or-more" });
        await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, "/api/v1/webhooks?sort=-createdAt");
        etag = (await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/api/v1/webhooks/{webhook}")).ETag;
        await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, $"/api/v1/webhooks/{webhook}",
            new { url = $"http://127.0.0.1:{stacks.ClosedPort}/hook2", events = new[] { "initiative.created" }, active = true }, ifMatch: etag);
        var ping = await api.ExpectAsync(HttpStatusCode.Accepted, HttpMethod.Post, $"/api/v1/webhooks/{webhook}/ping");
        var delivery = ping.Json!["deliveryId"]!.GetValue<string>();
        await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/api/v1/webhooks/{webhook}/deliveries?event=ping&sort=-createdAt");
        await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/api/v1/webhooks/{webhook}/deliveries/{delivery}");
        await api.ExpectAsync(HttpStatusCode.Accepted, HttpMethod.Post, $"/api/v1/webhooks/{webhook}/deliveries/{delivery}/redeliver");
        etag = (await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/api/v1/webhooks/{webhook}")).ETag;
        await api.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Delete, $"/api/v1/webhooks/{webhook}", ifMatch: etag);

        var subscription = await api.CreateAsync("/api/v1/email-subscriptions", new { email = "coordination@example.edu", name = "Coordination office", directionId = direction });
        var spareSubscription = await api.CreateAsync("/api/v1/email-subscriptions", new { email = "task.force@example.edu", taskForceId = taskForce });
        await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, "/api/v1/email-subscriptions?sort=email");
        etag = (await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/api/v1/email-subscriptions/{subscription}")).ETag;
        await api.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Delete, $"/api/v1/email-subscriptions/{spareSubscription}");
        var anonymous = stacks.Main.Client(key: null);
        await anonymous.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Post, $"/api/v1/email/unsubscribe/{stacks.UnsubscribeToken('s', subscription)}");
        await anonymous.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Post, $"/api/v1/email/unsubscribe/{stacks.UnsubscribeToken('o', owner)}");

        var test = await api.ExpectAsync(HttpStatusCode.Accepted, HttpMethod.Post, "/api/v1/email/test", new { email = "ops@example.edu" });
        await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, "/api/v1/email/outbox?kind=test&page=1&pageSize=10");
        await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, test.Location!);

        await api.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Delete, $"/api/v1/task-forces/{spareTaskForce}");
        await api.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Delete, $"/api/v1/owners/{spareOwner}");
        await api.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Delete, $"/api/v1/directions/{spareDirection}");

        api.Violations().Should().BeEmpty("Prism found these in the answers of {0}:\n{1}", stacks.Main.Prism.Address, stacks.Main.Prism.Output);
        anonymous.Violations().Should().BeEmpty();
        var answered = api.Exchanges.Concat(anonymous.Exchanges).Where(e => (int)e.Status is >= 200 and < 400).Select(e => e.Operation).ToHashSet();
        DocumentedOperations.Where(o => !answered.Contains(o)).Should().BeEmpty("the workflow gets a success answer from every operation in openapi.yaml");
    }

    [Fact]
    public async Task ErrorAnswersAreTheProblemsTheDocumentSays()
    {
        var api = stacks.Main.Client(ServiceProcess.AdminKey);
        var meeting = await api.CreateAsync("/api/v1/meetings", new { title = "Errors meeting", heldOn = "2026-03-01" });
        var direction = await api.CreateAsync("/api/v1/directions", new { meetingId = meeting, number = 1, title = "Errors direction" });
        var owner = await api.CreateAsync("/api/v1/owners", new { name = "Busy Owner", email = "busy.owner@example.edu" });
        await api.CreateAsync("/api/v1/initiatives", new { directionId = direction, ownerId = owner, title = "Keeps the owner busy", deadline = "2027-06-30" });
        var viewer = (await api.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/v1/api-keys", new { name = "errors-viewer", role = "viewer" })).Json!["key"]!.GetValue<string>();
        var coordinator = (await api.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/v1/api-keys", new { name = "errors-coordinator", role = "coordinator" })).Json!["key"]!.GetValue<string>();

        // 400: rules only the service can judge (references to missing rows), several fields at once.
        var invalid = await api.ExpectAsync(HttpStatusCode.BadRequest, HttpMethod.Post, "/api/v1/initiatives",
            new { directionId = 999_999, ownerId = 999_999, taskForceId = 999_999, title = "Nowhere", deadline = "2027-01-01" });
        invalid.Json!["errors"]!.AsObject().Select(e => e.Key).Should().Contain(["directionId", "ownerId", "taskForceId"]);
        var malformedTag = await api.ExpectAsync(HttpStatusCode.BadRequest, HttpMethod.Put, $"/api/v1/meetings/{meeting}",
            new { title = "Errors meeting", heldOn = "2026-03-01" }, ifMatch: "3");
        malformedTag.Json!["errors"]!.AsObject().Select(e => e.Key).Should().Contain("If-Match");

        // 401: a key the service does not know (without any key Prism answers 401 itself, as the document's security says).
        var unknown = await stacks.Main.Client("not-a-key-of-this-service").ExpectAsync(HttpStatusCode.Unauthorized, HttpMethod.Get, "/api/v1/meetings");
        unknown.Headers.WwwAuthenticate.Should().NotBeEmpty();

        // 403 by role: a viewer may not write, a coordinator may not manage keys.
        var viewers = stacks.Main.Client(viewer);
        await viewers.ExpectAsync(HttpStatusCode.Forbidden, HttpMethod.Post, "/api/v1/meetings", new { title = "Not allowed", heldOn = "2026-03-02" });
        var coordinators = stacks.Main.Client(coordinator);
        await coordinators.ExpectAsync(HttpStatusCode.Forbidden, HttpMethod.Get, "/api/v1/api-keys");

        // 404: a missing row, a missing nested row, an unsubscribe link the service did not sign.
        await api.ExpectAsync(HttpStatusCode.NotFound, HttpMethod.Get, "/api/v1/meetings/999999");
        await api.ExpectAsync(HttpStatusCode.NotFound, HttpMethod.Get, "/api/v1/initiatives/999999/check-ins");
        var anonymous = stacks.Main.Client(key: null);
        await anonymous.ExpectAsync(HttpStatusCode.NotFound, HttpMethod.Post, "/api/v1/email/unsubscribe/s1.bm90LXNpZ25lZA");

        // 409: a unique field taken (keyed), a row still in use.
        var clash = await api.ExpectAsync(HttpStatusCode.Conflict, HttpMethod.Post, "/api/v1/owners", new { name = "Another", email = "busy.owner@example.edu" });
        clash.Json!["errors"]!.AsObject().Select(e => e.Key).Should().Contain("email");
        await api.ExpectAsync(HttpStatusCode.Conflict, HttpMethod.Delete, $"/api/v1/owners/{owner}");

        // 412: a stale If-Match.
        await api.ExpectAsync(HttpStatusCode.PreconditionFailed, HttpMethod.Put, $"/api/v1/meetings/{meeting}",
            new { title = "Errors meeting", heldOn = "2026-03-01" }, ifMatch: "\"999\"");

        // 413: more than 1 MiB (a property the schema does not name carries the bulk, so Prism forwards it as valid).
        await api.ExpectAsync(HttpStatusCode.RequestEntityTooLarge, HttpMethod.Post, "/api/v1/meetings",
            new { title = "Too large", heldOn = "2026-03-03", padding = new string('x', 1_100_000) });

        // 414: a query string past 4096 characters (in a parameter the document does not name, so Prism forwards it).
        (await api.ExpectAsync(HttpStatusCode.RequestUriTooLong, HttpMethod.Get, $"/api/v1/initiatives?status=planned&filler={new string('f', 4100)}"))
            .Json!["errors"]!.AsObject().Select(e => e.Key).Should().Contain("filler");

        // 422: an Idempotency-Key reused for another body.
        await api.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/v1/meetings", new { title = "Once", heldOn = "2026-03-04" },
            configure: r => r.Headers.Add("Idempotency-Key", "prism-errors-1"));
        await api.ExpectAsync(HttpStatusCode.UnprocessableEntity, HttpMethod.Post, "/api/v1/meetings", new { title = "Twice", heldOn = "2026-03-04" },
            configure: r => r.Headers.Add("Idempotency-Key", "prism-errors-1"));

        // 503: another process holds the database's write lock past the service's wait.
        await using (await stacks.HoldWriteLockAsync())
        {
            var busy = await api.ExpectAsync(HttpStatusCode.ServiceUnavailable, HttpMethod.Post, "/api/v1/meetings", new { title = "Busy", heldOn = "2026-03-05" });
            busy.Headers.RetryAfter.Should().NotBeNull();
        }

        PrismClient[] clients = [api, viewers, coordinators, anonymous];
        clients.SelectMany(c => c.Violations()).Should().BeEmpty("Prism found these in the error answers:\n{0}", stacks.Main.Prism.Output);
    }

    [Fact]
    public async Task RequestsTheDocumentRefusesAreRefusedByTheServiceForTheSameFields()
    {
        // Prism refuses these from openapi.yaml alone (422, without forwarding); the service, asked directly,
        // refuses them with a 400 naming the same fields: the document states the rules the service enforces.
        var prism = stacks.Main.Client(ServiceProcess.AdminKey);
        using var direct = stacks.Main.Service.CreateClient();
        foreach (var (method, target, body, fields) in new (HttpMethod, string, object?, string[])[]
        {
            (HttpMethod.Post, "/api/v1/meetings", new { location = "Nowhere" }, ["heldOn", "title"]),
            (HttpMethod.Post, "/api/v1/owners", new { name = new string('n', 201), email = "long.name@example.edu" }, ["name"]),
            (HttpMethod.Post, "/api/v1/api-keys", new { name = "bad-role", role = "superuser" }, ["role"]),
            (HttpMethod.Get, "/api/v1/initiatives?pageSize=500", null, ["pageSize"]),
            (HttpMethod.Get, "/api/v1/initiatives?sort=color", null, ["sort"]),
            (HttpMethod.Get, "/api/v1/reports/trend?interval=fortnight", null, ["interval"]),
        })
        {
            var refused = await prism.SendAsync(method, target, body);
            refused.Status.Should().Be(HttpStatusCode.UnprocessableEntity, "openapi.yaml refuses {0} {1}: {2}", method, target, refused);
            refused.Json!["type"]!.GetValue<string>().Should().Be(PrismProxy.PrismProblemPrefix + "UNPROCESSABLE_ENTITY");
            var located = refused.Json["validation"]!.AsArray().Select(v => v!["location"]!.AsArray().Last()!.ToString())
                .Concat(refused.Json["validation"]!.AsArray().Select(v => v!["message"]!.ToString()))
                .ToList();
            foreach (var field in fields)
            {
                // Prism gives query parameter names in lower case.
                located.Should().Contain(l => l.Contains(field, StringComparison.OrdinalIgnoreCase), "Prism names {0} in its refusal of {1} {2}", field, method, target);
            }

            using var request = new HttpRequestMessage(method, target) { Content = body is null ? null : JsonBody(body) };
            using var answer = await direct.SendAsync(request);
            var problem = JsonNode.Parse(await answer.Content.ReadAsStringAsync())!;
            answer.StatusCode.Should().Be(HttpStatusCode.BadRequest, "the service refuses {0} {1} as the document does: {2}", method, target, problem);
            problem["errors"]!.AsObject().Select(e => e.Key).Should().Contain(fields);
        }

        // A body in a media type the operation does not read: Prism refuses it from the document, the service with a 415.
        var xml = await prism.SendAsync(HttpMethod.Post, "/api/v1/meetings", new StringContent("<meeting/>", Encoding.UTF8, "application/xml"));
        xml.Json!["type"]!.GetValue<string>().Should().StartWith(PrismProxy.PrismProblemPrefix, "openapi.yaml reads only JSON here: {0}", xml);
        using var directXml = await direct.PostAsync("/api/v1/meetings", new StringContent("<meeting/>", Encoding.UTF8, "application/xml"));
        directXml.StatusCode.Should().Be(HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task EmailOffAndRateLimitedAnswersAreTheProblemsTheDocumentSays()
    {
        var api = stacks.Limited.Client(ServiceProcess.AdminKey);
        var off = await api.ExpectAsync(HttpStatusCode.Conflict, HttpMethod.Post, "/api/v1/email/test", new { email = "ops@example.edu" });
        off.Json!["type"]!.GetValue<string>().Should().StartWith("https://initiative-tracker.example/problems/");

        PrismExchange answer;
        var sent = 1;
        do
        {
            answer = await api.SendAsync(HttpMethod.Get, "/api/v1/meetings");
            sent++;
        }
        while (answer.Status == HttpStatusCode.OK && sent <= PrismStacks.LimitedPermitsPerMinute + 1);

        answer.Status.Should().Be(HttpStatusCode.TooManyRequests, "the limit is {0} requests a minute", PrismStacks.LimitedPermitsPerMinute);
        answer.Headers.RetryAfter.Should().NotBeNull();
        api.Violations().Should().BeEmpty("Prism found these:\n{0}", stacks.Limited.Prism.Output);
    }

    /// <summary>Every operation of openapi.yaml: its method and path template, as "GET /api/v1/meetings/{id}".</summary>
    public static IReadOnlyList<string> DocumentedOperations { get; } = ReadOperations();

    private static List<string> ReadOperations()
    {
        var operations = new List<string>();
        string? path = null;
        foreach (var line in File.ReadLines(Repository.PathOf("openapi.yaml")))
        {
            if (line.StartsWith("components:", StringComparison.Ordinal))
            {
                break;
            }

            if (Regex.Match(line, "^  '?(/[^']*)'?:$") is { Success: true } p)
            {
                path = p.Groups[1].Value;
            }
            else if (path is not null && Regex.Match(line, "^    (get|put|post|patch|delete|head|options):$") is { Success: true } m)
            {
                operations.Add($"{m.Groups[1].Value.ToUpperInvariant()} {path}");
            }
        }

        return operations;
    }

    internal static StringContent JsonBody(object body, string mediaType = "application/json") =>
        new(JsonSerializer.Serialize(body), Encoding.UTF8, mediaType);
}

/// <summary>One request sent through Prism and what came back, with what Prism found in it.</summary>
public sealed record PrismExchange(
    string Method, string Target, string Operation, HttpStatusCode Status, string? MediaType, string Body,
    string? ETag, string? Location, HttpResponseHeaders Headers, IReadOnlyList<string> Findings)
{
    public JsonNode? Json => MediaType is "application/json" or "application/problem+json" && Body.Length > 0 ? JsonNode.Parse(Body) : null;

    public override string ToString() => $"{Method} {Target} → {(int)Status} {MediaType}: {Body}";
}

/// <summary>An HTTP client of the service through Prism that keeps every exchange and what Prism found in it.</summary>
public sealed class PrismClient(HttpClient http)
{
    private readonly List<PrismExchange> _exchanges = [];

    public IReadOnlyList<PrismExchange> Exchanges
    {
        get
        {
            lock (_exchanges)
            {
                return [.. _exchanges];
            }
        }
    }

    /// <summary>Every finding of Prism, with the request it was found in.</summary>
    public IReadOnlyList<string> Violations() =>
        [.. Exchanges.SelectMany(e => e.Findings.Select(f => $"{e.Method} {e.Target} ({e.Operation}) → {(int)e.Status}: {f}"))];

    public async Task<PrismExchange> SendAsync(
        HttpMethod method, string target, object? body = null, string? ifMatch = null, string? ifNoneMatch = null,
        string? accept = null, Action<HttpRequestMessage>? configure = null)
    {
        using var request = new HttpRequestMessage(method, target)
        {
            Content = body switch
            {
                null => null,
                HttpContent content => content,
                _ => PrismProxyTests.JsonBody(body),
            },
        };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        if (ifNoneMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        }

        request.Headers.Accept.ParseAdd(accept ?? "application/json");
        configure?.Invoke(request);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        var exchange = new PrismExchange(
            method.Method, target, OperationOf(method.Method, target), response.StatusCode, mediaType, text,
            response.Headers.ETag?.ToString(), response.Headers.Location?.ToString(), response.Headers,
            PrismProxy.Findings(response.StatusCode, response.Headers.TryGetValues("sl-violations", out var v) ? v : [], mediaType, text));
        lock (_exchanges)
        {
            _exchanges.Add(exchange);
        }

        return exchange;
    }

    /// <summary>Sends a request and requires <paramref name="status"/>; the message says what came instead.</summary>
    public async Task<PrismExchange> ExpectAsync(
        HttpStatusCode status, HttpMethod method, string target, object? body = null, string? ifMatch = null, string? ifNoneMatch = null,
        string? accept = null, Action<HttpRequestMessage>? configure = null)
    {
        var exchange = await SendAsync(method, target, body, ifMatch, ifNoneMatch, accept, configure);
        exchange.Status.Should().Be(status, "{0} should answer {1}; it answered {2}", $"{method} {target}", status, exchange);
        return exchange;
    }

    /// <summary>POSTs a body that creates a resource (201) and returns its id.</summary>
    public async Task<long> CreateAsync(string target, object body, string? ifMatch = null) =>
        (await ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, target, body, ifMatch)).Json!["id"]!.GetValue<long>();

    /// <summary>The documented operation a request addresses ("GET /api/v1/meetings/{id}"), or "?" when none does.</summary>
    private static string OperationOf(string method, string target)
    {
        var path = target.Split('?')[0];
        return PrismProxyTests.DocumentedOperations.FirstOrDefault(o =>
        {
            var (m, template) = (o[..o.IndexOf(' ', StringComparison.Ordinal)], o[(o.IndexOf(' ', StringComparison.Ordinal) + 1)..]);
            return m == method && Regex.IsMatch(path, "^" + Regex.Replace(Regex.Escape(template), @"\\\{[^}]+}", "[^/]+") + "$");
        }) ?? "?";
    }
}

/// <summary>One service process with Prism in front of it.</summary>
public sealed class PrismStack(ServiceProcess service, PrismProxy prism) : IAsyncDisposable
{
    public ServiceProcess Service { get; } = service;

    public PrismProxy Prism { get; } = prism;

    /// <summary>A client of the service through Prism, with <paramref name="key"/> as its bearer key (none when null).</summary>
    public PrismClient Client(string? key)
    {
        var http = new HttpClient { BaseAddress = Prism.Address, Timeout = TimeSpan.FromSeconds(30) };
        if (key is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return new PrismClient(http);
    }

    public async ValueTask DisposeAsync()
    {
        await Prism.DisposeAsync();
        await Service.DisposeAsync();
    }
}

/// <summary>
/// Two services, each behind its own Prism: <see cref="Main"/> with email on (an SMTP host on a closed port, so
/// sends queue and fail) and loopback webhooks allowed; <see cref="Limited"/> with email off and a rate limit
/// of a few requests a minute, for the answers only that configuration gives.
/// </summary>
public sealed class PrismStacks : IAsyncLifetime
{
    public const int LimitedPermitsPerMinute = 3;

    private const string UnsubscribeSecret = "prism-proxy-tests-unsubscribe-secret-0123456789";

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "prism-proxy-" + Guid.NewGuid().ToString("N"));

    public PrismStack Main { get; private set; } = null!;

    public PrismStack Limited { get; private set; } = null!;

    /// <summary>A loopback port nothing listens on: the SMTP server and the webhook receiver that refuse connections.</summary>
    public int ClosedPort { get; } = ServiceProcess.FreePort();

    public string MainDatabase => Path.Combine(_folder, "main.db");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        var install = PrismProxy.EnsureInstalledAsync();
        var main = ServiceProcess.StartAsync(MainDatabase,
            "--Tracker:Email:Smtp:Host", "127.0.0.1",
            "--Tracker:Email:Smtp:Port", ClosedPort.ToString(CultureInfo.InvariantCulture),
            "--Tracker:Email:Smtp:Security", "None",
            "--Tracker:Email:From", "tracker@example.edu",
            "--Tracker:Email:PublicUrl", "https://tracker.example.edu",
            "--Tracker:Email:UnsubscribeSecret", UnsubscribeSecret,
            "--Tracker:Webhooks:AllowedHosts:0", "127.0.0.1");
        var limited = ServiceProcess.StartAsync(Path.Combine(_folder, "limited.db"),
            "--Tracker:RateLimit:PermitsPerMinute", LimitedPermitsPerMinute.ToString(CultureInfo.InvariantCulture));
        await install;
        var (mainService, limitedService) = (await main, await limited);
        var (mainPrism, limitedPrism) = (PrismProxy.StartAsync(mainService.Address), PrismProxy.StartAsync(limitedService.Address));
        Main = new PrismStack(mainService, await mainPrism);
        Limited = new PrismStack(limitedService, await limitedPrism);
    }

    /// <summary>The one-click unsubscribe token of an email to owner (<c>o</c>) or subscription (<c>s</c>) <paramref name="id"/>, as the service signs it.</summary>
    public string UnsubscribeToken(char kind, long id)
    {
        var subject = string.Create(CultureInfo.InvariantCulture, $"{kind}{id}");
        return $"{subject}.{WebEncoders.Base64UrlEncode(HMACSHA256.HashData(Encoding.UTF8.GetBytes(UnsubscribeSecret), Encoding.ASCII.GetBytes(subject)))}";
    }

    /// <summary>Holds the main database's write lock from outside the service, as a backup or a shell would, until disposed.</summary>
    public async Task<SqliteConnection> HoldWriteLockAsync()
    {
        var connection = new SqliteConnection($"Data Source={MainDatabase};Pooling=False");
        await connection.OpenAsync();
        using var begin = connection.CreateCommand();
        begin.CommandText = "BEGIN IMMEDIATE;";
        await begin.ExecuteNonQueryAsync();
        return connection;
    }

    public async Task DisposeAsync()
    {
        if (Main is not null)
        {
            await Main.DisposeAsync();
        }

        if (Limited is not null)
        {
            await Limited.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
