using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using InitiativeTracker.Api.Tests.Infrastructure;

namespace InitiativeTracker.Api.Tests.Contract;

/// <summary>
/// Bad input never breaks the service: every write route answers every malformed body with a 4xx
/// problem that names the offending field (or the body, or the parameter), and writes nothing. Text
/// fields are held to one rule (TextRules): control characters are refused everywhere, and line
/// breaks and tabs too in one-line fields.
/// </summary>
public sealed class HostileInputTests(HostileInputTests.Rows rows) : IClassFixture<HostileInputTests.Rows>
{
    private readonly HttpClient _client = rows.Admin();

    /// <summary>A database holding one of each resource, for the PUT and PATCH routes to aim at.</summary>
    public sealed class Rows : TrackerFactory, IAsyncLifetime
    {
        private Dictionary<string, string> _ids = [];

        // A public-looking name that resolves nowhere in a sandbox is allowed by listing it.
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Tracker:Webhooks:AllowedHosts:0"] = "hooks.example.com",
        };

        public async Task InitializeAsync()
        {
            var client = Admin();
            var meeting = await client.CreateAsync("/api/v1/meetings", new { title = "Target meeting", heldOn = "2024-01-10" });
            var direction = await client.CreateAsync("/api/v1/directions", new { meetingId = 1, number = 40, title = "Target direction" });
            var owner = await client.CreateAsync("/api/v1/owners", new { name = "Target owner", email = "target@xjtu.edu.cn" });
            var taskForce = await client.CreateAsync("/api/v1/task-forces", new { name = "Target task force", leadId = owner["id"]!.GetValue<long>() });
            var initiative = await client.CreateAsync("/api/v1/initiatives", new
            {
                directionId = 1,
                ownerId = owner["id"]!.GetValue<long>(),
                taskForceId = taskForce["id"]!.GetValue<long>(),
                title = "Target initiative",
                startDate = "2026-01-01",
                deadline = "2026-12-31",
            });
            // Check-ins and deadline moves change an initiative's state: they aim at one of their own,
            // so the PUT and PATCH bodies above stay valid whatever order the tests run in.
            var progressing = await client.CreateAsync("/api/v1/initiatives", new
            {
                directionId = 1,
                ownerId = owner["id"]!.GetValue<long>(),
                title = "Target of check-ins and deadline moves",
                deadline = "2026-12-31",
            });
            var webhook = await client.CreateAsync("/api/v1/webhooks", new { url = "https://hooks.example.com/target", events = new[] { "report.overdue_digest" } });
            _ids = new Dictionary<string, string>
            {
                ["{meeting}"] = meeting["id"]!.ToJsonString(),
                ["{direction}"] = direction["id"]!.ToJsonString(),
                ["{owner}"] = owner["id"]!.ToJsonString(),
                ["{taskForce}"] = taskForce["id"]!.ToJsonString(),
                ["{initiative}"] = initiative["id"]!.ToJsonString(),
                ["{progressing}"] = progressing["id"]!.ToJsonString(),
                ["{webhook}"] = webhook["id"]!.ToJsonString(),
            };
        }

        /// <summary>The template with each placeholder (<c>{owner}</c> …) replaced by that row's id.</summary>
        public string Fill(string template) => _ids.Aggregate(template, (text, id) => text.Replace(id.Key, id.Value, StringComparison.Ordinal));

        Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
    }

    private enum Kind
    {
        /// <summary>One line of text: a title, a name.</summary>
        Line,

        /// <summary>Text that may run over several lines: a description, a note.</summary>
        Text,
        Id,
        Number,
        Date,
        Enum,
    }

    /// <summary>A field of a route; <paramref name="Sample"/> is a valid text that the control characters are spliced into.</summary>
    private sealed record Field(string Name, Kind Kind, int MaxLength = 0, bool Required = false, string Sample = "Joint center in Almaty");

    private sealed record Route(string Method, string Url, string ValidBody, Field[] Fields)
    {
        public string ContentType => Method == "PATCH" ? "application/merge-patch+json" : "application/json";
    }

    private static readonly Field[] s_meetingFields =
    [
        new("title", Kind.Line, 300, Required: true), new("heldOn", Kind.Date), new("location", Kind.Line, 300),
        new("summary", Kind.Text, 10_000),
    ];

    private static readonly Field[] s_directionFields =
        [new("meetingId", Kind.Id), new("number", Kind.Number), new("title", Kind.Line, 300, Required: true), new("description", Kind.Text, 10_000)];

    private static readonly Field[] s_ownerFields =
    [
        new("name", Kind.Line, 200, Required: true), new("email", Kind.Line, 254, Sample: "hostile.sample@xjtu.edu.cn"),
        new("unit", Kind.Line, 200),
    ];

    private static readonly Field[] s_taskForceFields =
        [new("name", Kind.Line, 200, Required: true), new("mandate", Kind.Text, 10_000), new("leadId", Kind.Id)];

    private static readonly Field[] s_initiativeFields =
    [
        new("directionId", Kind.Id), new("ownerId", Kind.Id), new("taskForceId", Kind.Id), new("title", Kind.Line, 300, Required: true),
        new("description", Kind.Text, 10_000), new("startDate", Kind.Date), new("deadline", Kind.Date),
    ];

    private static readonly Field[] s_checkInFields =
        [new("progress", Kind.Number), new("status", Kind.Enum), new("health", Kind.Enum), new("note", Kind.Text, 4000)];

    private static readonly Field[] s_deadlineFields = [new("deadline", Kind.Date), new("reason", Kind.Text, 1000, Required: true)];

    private static readonly Field[] s_apiKeyFields = [new("name", Kind.Line, 100, Required: true), new("role", Kind.Enum), new("ownerId", Kind.Id)];

    private static readonly Field s_webhookUrl = new("url", Kind.Line, 2000, Required: true, Sample: "https://hooks.example.com/hostile");

    private static readonly Field[] s_webhookFields = [s_webhookUrl, new("secret", Kind.Line, 200, Sample: "a signing secret of some length")];

    /// <summary>PUT and PATCH of an initiative also carry its state fields, read-only there.</summary>
    private static readonly Field[] s_initiativeUpdateFields =
        [.. s_initiativeFields, new("status", Kind.Enum), new("progress", Kind.Number), new("health", Kind.Enum)];

    private const string ValidInitiative = """
        {"directionId":1,"ownerId":{owner},"taskForceId":{taskForce},"title":"Hostile target","description":"d",
         "startDate":"2026-01-01","deadline":"2026-12-31"}
        """;

    private static readonly Dictionary<string, Route> s_routes = new()
    {
        ["POST meetings"] = new("POST", "/api/v1/meetings",
            """{"title":"A meeting","heldOn":"2024-02-01","location":"Xi'an","summary":"s"}""", s_meetingFields),
        ["PUT meetings"] = new("PUT", "/api/v1/meetings/{meeting}",
            """{"title":"Target meeting","heldOn":"2024-01-10","location":"Xi'an","summary":"s"}""", s_meetingFields),
        ["POST directions"] = new("POST", "/api/v1/directions",
            """{"meetingId":1,"number":50,"title":"A direction","description":"d"}""", s_directionFields),
        ["PUT directions"] = new("PUT", "/api/v1/directions/{direction}",
            """{"meetingId":1,"number":40,"title":"Target direction","description":"d"}""", s_directionFields),
        ["POST owners"] = new("POST", "/api/v1/owners",
            """{"name":"An owner","email":"hostile.new@xjtu.edu.cn","unit":"School of Law"}""", s_ownerFields),
        ["PUT owners"] = new("PUT", "/api/v1/owners/{owner}",
            """{"name":"Target owner","email":"target@xjtu.edu.cn","unit":"School of Law"}""", s_ownerFields),
        ["POST task-forces"] = new("POST", "/api/v1/task-forces",
            """{"name":"A new task force","mandate":"m","leadId":{owner}}""", s_taskForceFields),
        ["PUT task-forces"] = new("PUT", "/api/v1/task-forces/{taskForce}",
            """{"name":"Target task force","mandate":"m","leadId":{owner}}""", s_taskForceFields),
        ["POST initiatives"] = new("POST", "/api/v1/initiatives", ValidInitiative, s_initiativeFields),
        ["PUT initiatives"] = new("PUT", "/api/v1/initiatives/{initiative}", ValidInitiative, s_initiativeUpdateFields),
        ["PATCH initiatives"] = new("PATCH", "/api/v1/initiatives/{initiative}", """{"description":"patched"}""", s_initiativeUpdateFields),
        ["POST check-ins"] = new("POST", "/api/v1/initiatives/{progressing}/check-ins",
            """{"progress":10,"health":"on_track","note":"n"}""", s_checkInFields),
        ["PUT deadline"] = new("PUT", "/api/v1/initiatives/{progressing}/deadline",
            """{"deadline":"2027-01-31","reason":"r"}""", s_deadlineFields),
        ["POST api-keys"] = new("POST", "/api/v1/api-keys", """{"name":"hostile-input-key","role":"viewer"}""", s_apiKeyFields),
        ["POST webhooks"] = new("POST", "/api/v1/webhooks",
            """{"url":"https://hooks.example.com/new","events":["initiative.created"],"secret":"a signing secret of some length"}""", s_webhookFields),
        ["PUT webhooks"] = new("PUT", "/api/v1/webhooks/{webhook}",
            """{"url":"https://hooks.example.com/target","events":["report.overdue_digest"]}""", [s_webhookUrl]),
    };

    /// <summary>What the text rule answers a refused control character with.</summary>
    private const string ControlCharacter = "control character";

    /// <summary>
    /// The hostile values for a field of each kind: the JSON text sent in place of a valid value, and a
    /// part of the message it must be refused with, where that tells the rule apart from the others.
    /// </summary>
    private static IEnumerable<(string Case, string Json, string? Message)> HostileValues(Field field) => field.Kind switch
    {
        Kind.Line => [.. TextValues(field),
            ("a line break", Spliced(field, "\\n"), ControlCharacter),
            ("a carriage return", Spliced(field, "\\r"), ControlCharacter),
            ("a tab", Spliced(field, "\\t"), ControlCharacter)],
        Kind.Text => TextValues(field),
        _ => OtherValues(field).Select(v => (v.Case, v.Json, (string?)null)),
    };

    private static IEnumerable<(string Case, string Json, string? Message)> TextValues(Field field)
    {
        List<(string, string, string?)> values =
        [
            ("number instead of text", "12345", null),
            ("object instead of text", """{"text":"x"}""", null),
            ("lone surrogate", "\"a\\ud800b\"", null),
            ("over the maximum length", $"\"{new string('x', field.MaxLength + 1)}\"", null),
            ("a NUL character", Spliced(field, "\\u0000"), ControlCharacter),
            ("an escape character", Spliced(field, "\\u001b"), ControlCharacter),
            ("a DEL character", Spliced(field, "\\u007f"), ControlCharacter),
            ("a C1 control character", Spliced(field, "\\u009b"), ControlCharacter),
        ];
        if (field.Required)
        {
            // Trimmed to nothing, it is as good as missing.
            values.Add(("white space only", "\" \\t \\u3000 \"", null));
        }

        return values;
    }

    /// <summary>The field's sample as a JSON string, with <paramref name="escape"/> in its middle.</summary>
    private static string Spliced(Field field, string escape) =>
        $"\"{field.Sample[..(field.Sample.Length / 2)]}{escape}{field.Sample[(field.Sample.Length / 2)..]}\"";

    private static IEnumerable<(string Case, string Json)> OtherValues(Field field) => field.Kind switch
    {
        Kind.Id =>
        [
            ("text instead of a number", "\"1\""),
            ("boolean instead of a number", "true"),
            ("1e400", "1e400"),
            ("20 digits", "99999999999999999999"),
            ("fraction", "1.5"),
            ("negative id", "-1"),
        ],
        Kind.Number =>
        [
            ("text instead of a number", "\"1\""),
            ("array instead of a number", "[1]"),
            ("1e400", "1e400"),
            ("20 digits", "99999999999999999999"),
            ("negative", "-1"),
        ],
        Kind.Date =>
        [
            ("number instead of a date", "20230605"),
            ("February 30", "\"2023-02-30\""),
            ("month 13", "\"2023-13-01\""),
            ("a word", "\"yesterday\""),
            ("a timestamp", "\"2023-06-05T10:00:00Z\""),
        ],
        Kind.Enum =>
        [
            ("number instead of a name", "1"),
            ("an unknown name", "\"finished\""),
        ],
        _ => throw new ArgumentOutOfRangeException(nameof(field)),
    };

    public static TheoryData<string, string, string> HostileFields()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var (name, route) in s_routes)
        {
            foreach (var field in route.Fields)
            {
                foreach (var (@case, _, _) in HostileValues(field))
                {
                    data.Add(name, field.Name, @case);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(HostileFields))]
    public async Task RejectsAHostileFieldValueNamingTheFieldAndWritesNothing(string routeName, string fieldName, string @case)
    {
        var route = s_routes[routeName];
        var field = route.Fields.Single(f => f.Name == fieldName);
        var valid = JsonNode.Parse(rows.Fill(route.ValidBody))!.AsObject();
        valid.Remove(fieldName);
        // Spliced in as text: 1e400 or a lone surrogate would not survive a round trip through a JSON library.
        var (_, json, message) = HostileValues(field).Single(v => v.Case == @case);
        var hostile = $"\"{fieldName}\":{json}";
        var withField = valid.Count == 0 ? $"{{{hostile}}}" : $"{{{hostile},{valid.ToJsonString()[1..]}";
        var before = await rows.SnapshotAsync();

        var response = await Send(route, withField);

        var problem = await response.ShouldBeProblem(HttpStatusCode.BadRequest, fieldName);
        if (message is not null)
        {
            problem["errors"]![fieldName]!.AsArray().Select(m => m!.GetValue<string>()).Should().Contain(m => m.Contains(message),
                "the text rule, not another, refused it: {0}", problem.ToJsonString());
        }

        (await rows.SnapshotAsync()).Should().Be(before, "a rejected request writes nothing");
    }

    public static TheoryData<string, string> MalformedBodies()
    {
        var data = new TheoryData<string, string>();
        foreach (var name in s_routes.Keys)
        {
            foreach (var @case in s_malformed.Keys)
            {
                data.Add(name, @case);
            }
        }

        return data;
    }

    /// <summary>
    /// Bodies that are not a readable JSON object, and the error key each must carry. Most are the whole
    /// body's fault (<c>body</c>); where the reader fails inside a property (too deep, cut off in a value)
    /// the key may name that property, so only some key is required.
    /// </summary>
    private static readonly Dictionary<string, (string Body, string? Key)> s_malformed = new()
    {
        ["nested 100 deep"] = (new StringBuilder().Insert(0, "{\"a\":", 100).Append('1').Append('}', 100).ToString(), null),
        ["truncated"] = ("""{"title":"half""", null),
        ["empty"] = ("", "body"),
        ["an array"] = ("""[{"title":"x"}]""", "body"),
        ["null"] = ("null", "body"),
        ["a string"] = ("\"hello\"", "body"),
        ["not JSON"] = ("title=x&heldOn=2024-01-01", "body"),
        ["a trailing comma"] = ("""{"title":"x",}""", "body"),
        ["a lone surrogate as a property name"] = ("""{"\ud800":"x"}""", "body"),
        ["a byte-order mark and garbage"] = ("\ufeff\u0000{}", "body"),
    };

    [Theory]
    [MemberData(nameof(MalformedBodies))]
    public async Task RejectsABodyThatIsNotAJsonObjectAndWritesNothing(string routeName, string @case)
    {
        var route = s_routes[routeName];
        var (body, expectedKey) = s_malformed[@case];
        var before = await rows.SnapshotAsync();

        var response = await Send(route, body);

        var problem = expectedKey is { } key
            ? await response.ShouldBeProblem(HttpStatusCode.BadRequest, key)
            : await response.ShouldBeProblem(HttpStatusCode.BadRequest);
        problem["errors"]!.AsObject().Should().NotBeEmpty("the problem should say what is wrong: {0}", problem.ToJsonString());
        (await rows.SnapshotAsync()).Should().Be(before, "a rejected request writes nothing");
    }

    public static TheoryData<string> WriteRoutes() => [.. s_routes.Keys];

    [Theory]
    [MemberData(nameof(WriteRoutes))]
    public async Task RejectsATextPlainBodyWithUnsupportedMediaType(string routeName)
    {
        var route = s_routes[routeName];
        var before = await rows.SnapshotAsync();

        var response = await _client.SendJsonAsync(new HttpMethod(route.Method), rows.Fill(route.Url), rows.Fill(route.ValidBody), "text/plain");

        await response.ShouldBeProblem(HttpStatusCode.UnsupportedMediaType);
        (await rows.SnapshotAsync()).Should().Be(before);
    }

    [Theory]
    [MemberData(nameof(WriteRoutes))]
    public async Task AcceptsTheValidBodyTheHostileCasesStartFrom(string routeName)
    {
        // The control: each hostile case differs from this body in one place, so that place is what failed.
        var route = s_routes[routeName];

        var response = await Send(route, rows.Fill(route.ValidBody));

        ((int)response.StatusCode).Should().BeOneOf([200, 201], await response.Content.ReadAsStringAsync());
    }

    public static TheoryData<string, string, string> HostileQueries()
    {
        // Long enough to be absurd, short enough to reach the parameter's own validation (over 4 KiB the
        // whole query is refused first: see RejectsAnOverlongQueryStringNamingTheParameter).
        var longText = new string('x', 3_000);
        var data = new TheoryData<string, string, string>();
        foreach (var list in new[] { "meetings", "directions", "owners", "task-forces", "initiatives" })
        {
            data.Add(list, "page=99999999999", "page");
            data.Add(list, "page=-5", "page");
            data.Add(list, "pageSize=-1", "pageSize");
            data.Add(list, "pageSize=99999999999999999999", "pageSize");
            data.Add(list, $"sort={longText}", "sort");
            data.Add(list, "sort=%00", "sort");
            data.Add(list, "sort=title;DROP TABLE owners", "sort");
        }

        data.Add("owners", $"q={longText}", "q");
        data.Add("directions", "meetingId=1e400", "meetingId");
        data.Add("task-forces", "leadId=abc", "leadId");
        data.Add("initiatives", $"q={longText}", "q");
        data.Add("initiatives", "status=%00", "status");
        data.Add("initiatives", "status=planned&status=finished", "status");
        data.Add("initiatives", "health=green", "health");
        data.Add("initiatives", "directionId=99999999999999999999", "directionId");
        data.Add("initiatives", "ownerId=-", "ownerId");
        data.Add("initiatives", "taskForceId=1.5", "taskForceId");
        data.Add("initiatives", "dueBefore=2023-02-30", "dueBefore");
        data.Add("initiatives", "dueAfter=yesterday", "dueAfter");
        data.Add("initiatives", "overdue=maybe", "overdue");
        return data;
    }

    [Theory]
    [MemberData(nameof(HostileQueries))]
    public async Task RejectsAnAbsurdListQueryNamingTheParameter(string list, string query, string key)
    {
        var response = await _client.GetAsync($"/api/v1/{list}?{query}");

        await response.ShouldBeProblem(HttpStatusCode.BadRequest, key);
    }

    [Theory]
    [InlineData("owners", "q")]
    [InlineData("initiatives", "sort")]
    public async Task RejectsAnOverlongQueryStringNamingTheParameter(string list, string key)
    {
        var response = await _client.GetAsync($"/api/v1/{list}?page=1&{key}={new string('x', 10_000)}");

        await response.ShouldBeProblem(HttpStatusCode.RequestUriTooLong, key);
    }

    private Task<HttpResponseMessage> Send(Route route, string body) =>
        _client.SendJsonAsync(new HttpMethod(route.Method), rows.Fill(route.Url), body, route.ContentType);
}
