using System.Net;
using System.Text.Json.Nodes;
using InitiativeTracker.Api.Tests.Features.CheckIns;
using InitiativeTracker.Api.Tests.Infrastructure;

namespace InitiativeTracker.Api.Tests.Contract;

/// <summary>
/// What generated clients rely on: the server accepts what the document declares, refuses the same value
/// the same way everywhere, names every problem of a request at once, and the document carries the
/// rules the server enforces.
/// </summary>
public sealed class SourceOfTruthTests(TrackerFactory factory) : IClassFixture<TrackerFactory>
{
    private readonly HttpClient _admin = factory.Admin();

    [Fact]
    public async Task AcceptsAnExpiryWithAnyOffsetAndAnswersItInUtc()
    {
        var response = await _admin.PostJsonAsync("/api/v1/api-keys",
            """{"name":"offset-key","role":"viewer","expiresAt":"2027-01-04T05:48:10+08:00"}""");

        var key = await response.ShouldBe(HttpStatusCode.Created);
        key["expiresAt"]!.GetValue<string>().Should().Be("2027-01-03T21:48:10Z");
        var fetched = await (await _admin.GetAsync($"/api/v1/api-keys/{key["id"]}")).ShouldBe(HttpStatusCode.OK);
        fetched["expiresAt"]!.GetValue<string>().Should().Be("2027-01-03T21:48:10Z");
    }

    [Fact]
    public async Task RefusesAnExpiryWithoutAnOffsetNamingTheField()
    {
        var response = await _admin.PostJsonAsync("/api/v1/api-keys", """{"name":"local-key","role":"viewer","expiresAt":"2027-01-03T21:48:10"}""");

        await response.ShouldBeProblem(HttpStatusCode.BadRequest, "expiresAt");
    }

    [Theory]
    [InlineData("/api/v1/initiatives?ownerId=-1", "ownerId")]
    [InlineData("/api/v1/initiatives?directionId=0", "directionId")]
    [InlineData("/api/v1/reports/overdue?ownerId=-1", "ownerId")]
    [InlineData("/api/v1/task-forces?leadId=0", "leadId")]
    [InlineData("/api/v1/audit?entityId=-3", "entityId")]
    public async Task RefusesAnIdFilterBelowOneEverywhere(string url, string field) =>
        await (await _admin.GetAsync(url)).ShouldBeProblem(HttpStatusCode.BadRequest, field);

    [Fact]
    public async Task NamesEveryProblemOfABodyAtOnceTypeErrorsIncluded()
    {
        var id = await _admin.NewInitiativeAsync();

        var problem = await (await _admin.CheckInAsync(id, new { progress = -5, health = "meh" })).ShouldBeProblem(HttpStatusCode.BadRequest, "progress", "health");

        problem["errors"]!["health"]![0]!.GetValue<string>().Should().Be("'health' must be one of: on_track, at_risk, off_track.");
        problem["errors"]!["progress"]![0]!.GetValue<string>().Should().Contain("0 to 100");
        (await _admin.InitiativeAsync(id))["version"]!.GetValue<long>().Should().Be(1, "a refused check-in writes nothing");
    }

    [Fact]
    public async Task NamesEveryProblemOfABodyWhateverTheCaseOfItsMemberNames()
    {
        // Bodies bind ignoring case, so the fields are read back the same way: both are named, camelCased.
        var id = await _admin.NewInitiativeAsync();

        using var body = new StringContent("""{"Progress": -5, "HEALTH": "meh"}""", System.Text.Encoding.UTF8, "application/json");
        var problem = await (await _admin.PostAsync($"/api/v1/initiatives/{id}/check-ins", body))
            .ShouldBeProblem(HttpStatusCode.BadRequest, "progress", "health");

        problem["errors"]!["health"]![0]!.GetValue<string>().Should().Be("'health' must be one of: on_track, at_risk, off_track.");
        (await _admin.InitiativeAsync(id))["version"]!.GetValue<long>().Should().Be(1, "a refused check-in writes nothing");
    }

    [Fact]
    public async Task NamesEveryUnreadableQueryParameterAtOnce()
    {
        var problem = await (await _admin.GetAsync("/api/v1/initiatives?page=abc&pageSize=xyz&overdue=perhaps"))
            .ShouldBeProblem(HttpStatusCode.BadRequest, "page", "pageSize", "overdue");

        problem["errors"]!.AsObject().Count.Should().Be(3);
    }

    [Fact]
    public async Task DocumentsWhatTheValidatorsEnforce()
    {
        var document = await (await factory.Anonymous().GetAsync("/openapi/v1.json")).ShouldBe(HttpStatusCode.OK);
        var schemas = document["components"]!["schemas"]!;

        // Required request fields are not nullable: a typed client cannot send the null the server refuses.
        schemas["CreateCheckInCommand"]!["properties"]!["health"]!["$ref"]!.GetValue<string>().Should().Be("#/components/schemas/Health");
        schemas["CreateApiKeyCommand"]!["properties"]!["role"]!["$ref"]!.GetValue<string>().Should().Be("#/components/schemas/ApiKeyRole");
        schemas["CreateCheckInCommand"]!["properties"]!["progress"]!["maximum"]!.GetValue<int>().Should().Be(100);

        // The audit entry's changes have a shape.
        schemas["AuditEntryResponse"]!["properties"]!["changes"]!["additionalProperties"]!["$ref"]!.GetValue<string>()
            .Should().Be("#/components/schemas/FieldChange");

        // Generated clients show the problem's detail as the error message.
        schemas["ProblemDetails"]!["properties"]!["detail"]!["x-ms-primary-error-message"]!.GetValue<bool>().Should().BeTrue();

        var list = Parameters(document, "/api/v1/initiatives", "get");
        list["status"]!["schema"]!["items"]!["$ref"]!.GetValue<string>().Should().Be("#/components/schemas/InitiativeStatus");
        list["dueBefore"]!["schema"]!["format"]!.GetValue<string>().Should().Be("date");
        list["ownerId"]!["schema"]!["minimum"]!.GetValue<int>().Should().Be(1);
        list["pageSize"]!["schema"]!["maximum"]!.GetValue<int>().Should().Be(200);
        list["sort"]!["schema"]!["pattern"]!.GetValue<string>().Should().Contain("deadline");

        var overdue = Parameters(document, "/api/v1/reports/overdue", "get");
        // The same values as the answer's groupBy, as the same schema: one type in a generated client.
        overdue["groupBy"]!["schema"]!["$ref"]!.GetValue<string>().Should().Be("#/components/schemas/ReportGroupBy");
        schemas["ReportGroupBy"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>()).Should().Equal("owner", "taskForce", "direction");
        overdue["format"]!["schema"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>()).Should().Equal("json", "csv");
        Parameters(document, "/api/v1/reports/upcoming", "get")["withinDays"]!["schema"]!["maximum"]!.GetValue<int>().Should().Be(366);
        // The audit filter and the entries it filters share one schema, listing every type the trail writes.
        Parameters(document, "/api/v1/audit", "get")["entityType"]!["schema"]!["$ref"]!.GetValue<string>().Should().Be("#/components/schemas/AuditEntityType");
        schemas["AuditEntryResponse"]!["properties"]!["entityType"]!["$ref"]!.GetValue<string>().Should().Be("#/components/schemas/AuditEntityType");
        schemas["AuditEntityType"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>()).Should().Contain(["task_force", "email_subscription"]);
        schemas["HealthResponse"]!["properties"]!["status"]!["$ref"]!.GetValue<string>().Should().Be("#/components/schemas/ServiceStatus");
        // A delivery's event, the deliveries' filter and a webhook's events: one schema, ping included.
        Parameters(document, "/api/v1/webhooks/{id}/deliveries", "get")["event"]!["schema"]!["$ref"]!.GetValue<string>()
            .Should().Be("#/components/schemas/WebhookEventType");
        schemas["WebhookDeliveryResponse"]!["properties"]!["event"]!["$ref"]!.GetValue<string>().Should().Be("#/components/schemas/WebhookEventType");
        schemas["WebhookResponse"]!["properties"]!["events"]!["items"]!["$ref"]!.GetValue<string>().Should().Be("#/components/schemas/WebhookEventType");
        schemas["WebhookEventType"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>()).Should().Contain(["report.overdue_digest", "ping"]);

        // Markdown renderers (Swagger UI) must not eat the <key> placeholders as HTML.
        document["info"]!["description"]!.GetValue<string>().Should().Contain("`Authorization: Bearer <key>`");
    }

    private static Dictionary<string, JsonNode> Parameters(JsonNode document, string path, string method) =>
        document["paths"]![path]![method]!["parameters"]!.AsArray()
            .Where(p => p!["name"] is not null)
            .ToDictionary(p => p!["name"]!.GetValue<string>(), p => p!);
}
