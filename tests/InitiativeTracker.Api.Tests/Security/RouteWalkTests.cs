using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using InitiativeTracker.Api.Features.Initiatives;
using InitiativeTracker.Api.Infrastructure.Security;
using InitiativeTracker.Api.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace InitiativeTracker.Api.Tests.Security;

/// <summary>
/// Walks every operation in openapi.yaml against the real service (Kestrel's limits included) with the
/// hostile shapes of input: a member named twice, a body over the limit, a body nested past the
/// depth limit, a flood of header fields, a scalar query parameter repeated. Each answer must be a 4xx
/// problem, the service must stay ready, and the database must not change by a byte of its rows.
/// </summary>
[Trait("Category", "Hostile")]
public sealed class RouteWalkTests(RouteWalkTests.Service service) : IClassFixture<RouteWalkTests.Service>
{
    private const int FloodedHeaders = 300;
    private const int Repeats = 200;
    private const int Depth = 200;

    /// <summary>The real service on a database holding one of each resource the paths name.</summary>
    public sealed class Service : IAsyncLifetime
    {
        private readonly string _databaseFile = Path.Combine(Path.GetTempPath(), "initiative-tracker-tests", $"walk-{Guid.NewGuid():N}.db");
        private readonly Dictionary<string, string> _ids = [];
        private ServiceProcess? _process;

        public HttpClient Client => _process!.Client;

        public async Task InitializeAsync()
        {
            Directory.CreateDirectory(Path.GetDirectoryName(_databaseFile)!);
            _process = await ServiceProcess.StartAsync(_databaseFile, "--Tracker:Webhooks:AllowedHosts:0", "hooks.example.com");
            var owner = await Client.IdOfAsync("/api/v1/owners", new { name = "Walk owner", email = "walk@example.edu" });
            var initiative = await Client.IdOfAsync("/api/v1/initiatives", new { directionId = 1, ownerId = owner, title = "Walked initiative", deadline = "2027-06-30" });
            _ids["meetings"] = (await Client.IdOfAsync("/api/v1/meetings", new { title = "Walk meeting", heldOn = "2026-01-10" })).ToString(CultureInfo.InvariantCulture);
            _ids["directions"] = (await Client.IdOfAsync("/api/v1/directions", new { meetingId = 1, number = 40, title = "Walk direction" })).ToString(CultureInfo.InvariantCulture);
            _ids["owners"] = owner.ToString(CultureInfo.InvariantCulture);
            _ids["task-forces"] = (await Client.IdOfAsync("/api/v1/task-forces", new { name = "Walk task force", leadId = owner })).ToString(CultureInfo.InvariantCulture);
            _ids["initiatives"] = initiative.ToString(CultureInfo.InvariantCulture);
            _ids["checkInId"] = (await Client.IdOfAsync($"/api/v1/initiatives/{initiative}/check-ins", new { progress = 10, health = "on_track" })).ToString(CultureInfo.InvariantCulture);
            _ids["api-keys"] = (await Client.IdOfAsync("/api/v1/api-keys", new { name = "walk viewer", role = "viewer" })).ToString(CultureInfo.InvariantCulture);
            _ids["webhooks"] = (await Client.IdOfAsync("/api/v1/webhooks", new { url = "https://hooks.example.com/walk", events = new[] { "initiative.created" } })).ToString(CultureInfo.InvariantCulture);
            _ids["deliveryId"] = "1";
            _ids["email-subscriptions"] = (await Client.IdOfAsync("/api/v1/email-subscriptions", new { email = "walk@example.edu" })).ToString(CultureInfo.InvariantCulture);
            // Email is off in this service, so its outbox is empty; a token it did not sign is refused (404) like any other.
            _ids["outbox"] = "1";
            _ids["token"] = "o1.not-a-signature";
        }

        /// <summary>The path with each parameter replaced by an existing row's id: <c>{id}</c> by the collection it follows.</summary>
        public string Fill(string template)
        {
            var segments = template.Split('/');
            for (var i = 0; i < segments.Length; i++)
            {
                if (segments[i] == "{id}")
                {
                    segments[i] = _ids[segments[i - 1]];
                }
                else if (segments[i].StartsWith('{'))
                {
                    segments[i] = _ids[segments[i].Trim('{', '}')];
                }
            }

            return string.Join('/', segments);
        }

        /// <summary>Every row of every table (<see cref="DatabaseSnapshot"/>).</summary>
        public Task<string> SnapshotAsync() => DatabaseSnapshot.OfAsync(_databaseFile);

        public async Task DisposeAsync()
        {
            if (_process is not null)
            {
                await _process.DisposeAsync();
            }

            SqliteConnection.ClearAllPools();
            foreach (var file in Directory.GetFiles(Path.GetDirectoryName(_databaseFile)!, Path.GetFileName(_databaseFile) + "*"))
            {
                File.Delete(file);
            }
        }
    }

    public static TheoryData<string, string> Operations()
    {
        var data = new TheoryData<string, string>();
        foreach (var (method, path, _) in OpenApiContract.Committed.Operations)
        {
            data.Add(method, path);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task AnswersEveryHostileShapeWithAProblemAndChangesNothing(string method, string path)
    {
        var operation = OpenApiContract.Committed.Operations.Single(o => o.Method == method && o.Path == path).Operation;
        var url = service.Fill(path);
        var before = await service.SnapshotAsync();

        await HeaderFloodIsRefused(method, url);
        foreach (var parameter in ScalarQueryParameters(operation))
        {
            await RepeatedParameterIsRefused(method, url, parameter);
        }

        if (RequestBody(operation) is var (contentType, example))
        {
            await DuplicateMemberIsRefused(method, url, contentType, example);
            await DeepNestingIsRefused(method, url, contentType, example);
            await OversizedBodyIsRefused(method, url, contentType, path.EndsWith("/import", StringComparison.Ordinal));
        }

        (await service.Client.GetAsync("/health/ready")).StatusCode.Should().Be(HttpStatusCode.OK, "the service stays ready");
        (await service.SnapshotAsync()).Should().Be(before, "no refused request writes anything");
    }

    private async Task HeaderFloodIsRefused(string method, string url)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        for (var i = 0; i < FloodedHeaders; i++)
        {
            request.Headers.TryAddWithoutValidation($"X-Flood-{i}", "1");
        }

        await (await service.Client.SendAsync(request)).ShouldBeProblem(HttpStatusCode.RequestHeaderFieldsTooLarge);
    }

    private async Task RepeatedParameterIsRefused(string method, string url, (string Name, string Value) parameter)
    {
        var pair = $"{parameter.Name}={Uri.EscapeDataString(parameter.Value)}";
        var query = string.Join('&', Enumerable.Repeat(pair, Math.Min(Repeats, RequestLimits.MaxQueryStringLength / (pair.Length + 1))));
        query.Length.Should().BeLessThan(RequestLimits.MaxQueryStringLength, "the repeats stay within the query limit, so the repeat is what is refused");
        using var request = new HttpRequestMessage(new HttpMethod(method), $"{url}?{query}");
        await (await service.Client.SendAsync(request)).ShouldBeProblem(HttpStatusCode.BadRequest, parameter.Name);
    }

    private async Task DuplicateMemberIsRefused(string method, string url, string contentType, JsonNode example)
    {
        // The documented example with its first member written a second time, the same value both times.
        var target = example is JsonArray rows ? rows[0]!.AsObject() : example.AsObject();
        var (name, value) = target.First();
        var member = $"\"{name}\":{value?.ToJsonString() ?? "null"}";
        var duplicated = target.ToJsonString().Insert(1, member + ",");
        var body = example is JsonArray ? $"[{duplicated}]" : duplicated;

        var problem = await (await Send(method, url, contentType, body)).ShouldBeProblem(HttpStatusCode.BadRequest);
        problem["errors"]!.AsObject().Select(e => e.Key).Should().Contain(key => key == name || key.EndsWith("." + name, StringComparison.Ordinal),
            "the problem names the member sent twice: {0}", problem.ToJsonString());
    }

    private async Task DeepNestingIsRefused(string method, string url, string contentType, JsonNode example)
    {
        var name = (example is JsonArray rows ? rows[0]! : example).AsObject().First().Key;
        var nested = new string('[', Depth) + new string(']', Depth);
        var body = $"{{\"{name}\":{nested}}}";
        await (await Send(method, url, contentType, example is JsonArray ? $"[{body}]" : body)).ShouldBeProblem(HttpStatusCode.BadRequest);
    }

    private async Task OversizedBodyIsRefused(string method, string url, string contentType, bool import)
    {
        var limit = import ? ImportInitiatives.MaxBodyBytes : RequestLimits.DefaultBodyBytes;
        var body = "{\"padding\":\"" + new string('x', (int)limit) + "\"}";
        // As a client sending a large body should: the refusal arrives before the body is sent, so the
        // client sees the 413 instead of a connection the server closed mid-upload.
        await (await Send(method, url, contentType, body, expectContinue: true)).ShouldBeProblem(HttpStatusCode.RequestEntityTooLarge);
    }

    private Task<HttpResponseMessage> Send(string method, string url, string contentType, string body, bool expectContinue = false)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), url) { Content = new StringContent(body, Encoding.UTF8) };
        request.Headers.ExpectContinue = expectContinue;
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType) { CharSet = "utf-8" };
        return service.Client.SendAsync(request);
    }

    /// <summary>The JSON body the operation reads, and a valid-looking one: its documented example, or one value of each property's type.</summary>
    private static (string ContentType, JsonNode Example)? RequestBody(JsonObject operation)
    {
        if (operation["requestBody"]?["content"] is not JsonObject content)
        {
            return null;
        }

        var (contentType, media) = content.First(m => m.Key.Contains("json", StringComparison.Ordinal));
        var schema = Resolve(media!["schema"]!);
        var example = media["example"] ?? (schema["items"] is { } items ? new JsonArray(Example(Resolve(items))) : Example(schema));
        return (contentType, example.DeepClone());
    }

    private static JsonNode Example(JsonObject schema) =>
        schema["examples"]?[0]?.DeepClone() ?? new JsonObject(schema["properties"]!.AsObject()
            .Select(p => KeyValuePair.Create(p.Key, SampleValue(Resolve(p.Value!)))));

    private static JsonNode? SampleValue(JsonObject schema) => TypeOf(schema) switch
    {
        "array" => new JsonArray(SampleValue(Resolve(schema["items"]!))),
        "integer" or "number" => JsonValue.Create(1),
        "boolean" => JsonValue.Create(true),
        _ => JsonValue.Create(Sample(schema)),
    };

    /// <summary>Query parameters that take one value, with a value of their type.</summary>
    private static IEnumerable<(string Name, string Value)> ScalarQueryParameters(JsonObject operation) =>
        (operation["parameters"]?.AsArray() ?? [])
            .Select(p => Resolve(p!))
            .Where(p => (string?)p["in"] == "query" && Resolve(p["schema"]!) is var s && (string?)s["type"] is not "array")
            .Select(p => ((string)p["name"]!, Sample(Resolve(p["schema"]!))));

    private static string Sample(JsonObject schema) =>
        schema["enum"]?[0]?.GetValue<string>()
        ?? ((string?)schema["format"] == "date" ? "2026-06-30" : TypeOf(schema) is "integer" or "number" ? "1" : TypeOf(schema) == "boolean" ? "true" : "x");

    private static string? TypeOf(JsonObject schema) =>
        schema["type"] switch
        {
            JsonArray types => types.Select(t => (string?)t).FirstOrDefault(t => t != "null"),
            JsonValue type => (string?)type,
            _ => null,
        };

    private static JsonObject Resolve(JsonNode node)
    {
        while (node["$ref"] is { } reference)
        {
            var parts = ((string)reference!).TrimStart('#', '/').Split('/');
            node = parts.Aggregate((JsonNode)OpenApiContract.Committed.Document, (n, part) => n[part]!);
        }

        return node.AsObject();
    }
}
