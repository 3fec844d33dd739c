using System.Net;
using System.Text.Json.Nodes;
using InitiativeTracker.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;

namespace InitiativeTracker.Api.Tests.Contract;

/// <summary>
/// openapi.yaml as a client relies on it: it names exactly the operations the server has, each fully
/// described. (Every answer the other tests receive is also checked against it, by <see cref="ContractCheckingHandler"/>.)
/// </summary>
public sealed class OpenApiContractTests(TrackerFactory factory) : IClassFixture<TrackerFactory>
{
    private static readonly OpenApiContract s_contract = OpenApiContract.Committed;

    [Fact]
    public void EveryDocumentedOperationExistsOnTheServer()
    {
        var served = ServedOperations();

        s_contract.Operations.Select(o => $"{o.Method} {o.Path}").Should().BeSubsetOf(served);
    }

    [Fact]
    public void EveryApiEndpointIsDocumented()
    {
        var documented = s_contract.Operations.Select(o => $"{o.Method} {o.Path}").ToHashSet();

        ServedOperations().Where(o => o.Contains(" /api/v1/", StringComparison.Ordinal) || o.Contains(" /health/", StringComparison.Ordinal))
            .Should().BeSubsetOf(documented);
    }

    [Fact]
    public void EveryOperationHasAnIdASummaryATagAndADescription()
    {
        foreach (var (method, path, operation) in s_contract.Operations)
        {
            var name = $"{method} {path}";
            operation["operationId"]?.GetValue<string>().Should().NotBeNullOrEmpty(name);
            operation["summary"]?.GetValue<string>().Should().NotBeNullOrEmpty(name);
            operation["description"]?.GetValue<string>().Should().NotBeNullOrEmpty(name);
            operation["tags"]!.AsArray().Should().NotBeEmpty(name);
        }

        s_contract.Operations.Select(o => o.Operation["operationId"]!.GetValue<string>()).Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public void EveryApiOperationDocumentsItsProblemsAsProblemJson()
    {
        foreach (var (method, path, operation) in s_contract.Operations.Where(o => o.Path.StartsWith("/api/v1/", StringComparison.Ordinal)))
        {
            var name = $"{method} {path}";
            var responses = operation["responses"]!.AsObject();
            // A public operation (security: [], the one-click unsubscribe) takes no key, so it has no 401.
            var isPublic = operation["security"] is JsonArray { Count: 0 };
            responses.Select(r => r.Key).Should().Contain(isPublic ? ["429", "500"] : ["401", "429", "500"], name);
            if (path.Contains('{', StringComparison.Ordinal))
            {
                responses.Select(r => r.Key).Should().Contain("404", name);
            }

            // Every POST is idempotent but those whose answer holds a secret, which is never stored for replay.
            string[] answersASecret = ["/api/v1/api-keys", "/api/v1/webhooks"];
            if (method == "POST" && !answersASecret.Contains(path))
            {
                responses.Select(r => r.Key).Should().Contain(["400", "409", "422"], name);
                if (operation["requestBody"] is not null)
                {
                    responses.Select(r => r.Key).Should().Contain("413", name);
                }
                operation["parameters"]!.AsArray().Select(p => s_contract.Resolve(p!)["name"]!.GetValue<string>()).Should().Contain("Idempotency-Key", name);
            }
            else if (method == "POST")
            {
                responses.Select(r => r.Key).Should().NotContain("422", name);
            }

            foreach (var (status, response) in responses.Where(r => r.Key[0] is '4' or '5'))
            {
                s_contract.Resolve(response!)["content"]!.AsObject().Select(c => c.Key).Should().Equal(["application/problem+json"], $"{name} {status}");
            }
        }
    }

    [Fact]
    public void TheStatusAndHealthFiltersListTheirValues()
    {
        var parameters = s_contract.Document["paths"]!["/api/v1/initiatives"]!["get"]!["parameters"]!.AsArray();

        foreach (var (name, component) in new[] { ("status", "InitiativeStatus"), ("health", "Health") })
        {
            var items = parameters.Single(p => p!["name"]!.GetValue<string>() == name)!["schema"]!["items"]!;
            var values = s_contract.Resolve(items)["enum"]!.AsArray().Select(v => v!.GetValue<string>());
            values.Should().NotBeEmpty().And.BeEquivalentTo(
                s_contract.Document["components"]!["schemas"]![component]!["enum"]!.AsArray().Select(v => v!.GetValue<string>()));
        }
    }

    [Fact]
    public void TheCheckerRejectsABodyThatDoesNotMatchItsSchema()
    {
        var errors = s_contract.Check("GET", "/api/v1/owners/1", 200, "application/json",
            """{"id":"one","name":"Li Na","email":null,"unit":null,"emailReminders":true,"version":1,"createdAt":"2026-03-10T02:00:00Z","updatedAt":"2026-03-10T02:00:00Z"}""");

        errors.Should().ContainSingle().Which.Should().Contain("id");
    }

    [Fact]
    public void TheCheckerRejectsAnUndocumentedFieldStatusOrProblemType()
    {
        s_contract.Check("GET", "/api/v1/owners/1", 200, "application/json",
            """{"id":1,"name":"Li Na","email":null,"unit":null,"emailReminders":true,"version":1,"createdAt":"2026-03-10T02:00:00Z","updatedAt":"2026-03-10T02:00:00Z","salary":1}""")
            .Should().NotBeEmpty("a field the document does not name is a mismatch");
        s_contract.Check("GET", "/api/v1/owners/1", 418, "application/problem+json", "{}").Should().NotBeEmpty("418 is not documented");
        s_contract.Check("GET", "/api/v1/owners/1", 404, "application/problem+json",
            """{"type":"https://initiative-tracker.example/problems/undocumented","title":"x","status":404,"detail":"x","traceId":"x"}""")
            .Should().NotBeEmpty("a problem type must be one of the documented ones");
        s_contract.Check("GET", "/api/v1/owners/1", 200, "text/plain", "hello").Should().NotBeEmpty("text/plain is not documented");
    }

    [Fact]
    public void TheCheckerRejectsAnETagOrLocationSentWhereNotDocumentedOrMissingWhereDocumented()
    {
        const string owner = """{"id":1,"name":"Li Na","email":null,"unit":null,"emailReminders":true,"version":1,"createdAt":"2026-03-10T02:00:00Z","updatedAt":"2026-03-10T02:00:00Z"}""";

        s_contract.Check("GET", "/api/v1/owners/1", 200, "application/json", owner, ["ETag", "Content-Type"]).Should().BeEmpty();
        s_contract.Check("GET", "/api/v1/owners/1", 200, "application/json", owner, ["Content-Type"])
            .Should().ContainSingle().Which.Should().Contain("ETag header is documented but not sent");
        s_contract.Check("GET", "/api/v1/owners/1", 200, "application/json", owner, ["ETag", "Location"])
            .Should().ContainSingle().Which.Should().Contain("Location header is sent but not documented");
        s_contract.Check("GET", "/api/v1/owners/1", 304, null, "", ["ETag"]).Should().BeEmpty();
    }

    [Fact]
    public async Task TheClientsTheFactoryHandsOutCheckEveryAnswer()
    {
        var client = factory.Admin();

        var owner = await client.CreateAsync("/api/v1/owners", new { name = "Checked" });
        await (await client.GetAsync($"/api/v1/owners/{owner["id"]}")).ShouldBe(HttpStatusCode.OK);

        // The document promises 500 answers are problems; a body the contract does not describe would throw here.
        var unknown = await client.GetAsync("/api/v1/no-such-resource");
        unknown.StatusCode.Should().Be(HttpStatusCode.NotFound, "an undocumented route is not checked, only answered");
    }

    /// <summary>"GET /api/v1/owners/{id}" for every route endpoint, route constraints and trailing slashes dropped.</summary>
    private HashSet<string> ServedOperations()
    {
        _ = factory.Anonymous();
        return factory.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []).Select(m => $"{m} {Template(e.RoutePattern)}"))
            .ToHashSet();
    }

    private static string Template(RoutePattern pattern) =>
        "/" + string.Join("/", pattern.PathSegments.Select(s => string.Concat(s.Parts.Select(p => p switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternParameterPart parameter => $"{{{parameter.Name}}}",
            RoutePatternSeparatorPart separator => separator.Content,
            _ => "",
        }))));
}
