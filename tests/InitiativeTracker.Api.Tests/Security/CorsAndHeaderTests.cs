using System.Net;
using System.Net.Http.Json;
using InitiativeTracker.Api.Infrastructure.Security;
using InitiativeTracker.Api.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace InitiativeTracker.Api.Tests.Security;

public sealed class FrontendOriginFactory : TrackerFactory
{
    public const string Frontend = "https://tracker.xjtu.example";

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Tracker:Cors:Origins:0"] = Frontend,
    };
}

public sealed class CorsAndHeaderTests(FrontendOriginFactory factory) : IClassFixture<FrontendOriginFactory>
{
    [Fact]
    public async Task APreflightFromTheFrontendIsAllowedTheApisHeaders()
    {
        var response = await factory.CreateClient().SendAsync(Preflight(FrontendOriginFactory.Frontend));

        response.StatusCode.Should().Be(HttpStatusCode.NoContent);
        response.Headers.GetValues("Access-Control-Allow-Origin").Should().Equal(FrontendOriginFactory.Frontend);
        response.Headers.GetValues("Access-Control-Allow-Methods").Single().Should().Contain("PATCH");
        var allowed = response.Headers.GetValues("Access-Control-Allow-Headers").Single().ToUpperInvariant();
        foreach (var header in new[] { "AUTHORIZATION", "X-API-KEY", "CONTENT-TYPE", "IF-MATCH", "IDEMPOTENCY-KEY" })
        {
            allowed.Should().Contain(header);
        }
    }

    [Fact]
    public async Task APreflightFromAnotherOriginGetsNoCorsHeaders()
    {
        var response = await factory.CreateClient().SendAsync(Preflight("https://evil.example"));

        response.Headers.Contains("Access-Control-Allow-Origin").Should().BeFalse();
        response.Headers.Contains("Access-Control-Allow-Headers").Should().BeFalse();
    }

    [Fact]
    public async Task TheFrontendCanReadETagLocationAndRetryAfter()
    {
        var client = factory.Admin();
        client.DefaultRequestHeaders.Add("Origin", FrontendOriginFactory.Frontend);

        var response = await client.GetAsync("/api/v1/meetings/1");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Headers.GetValues("Access-Control-Allow-Origin").Should().Equal(FrontendOriginFactory.Frontend);
        response.Headers.GetValues("Access-Control-Expose-Headers").Single().Should().ContainAll("ETag", "Location", "Retry-After", "Idempotent-Replayed");
    }

    public static TheoryData<string?, string, string, bool> OriginsAndAnswers()
    {
        TheoryData<string?, string, string, bool> data = [];
        foreach (var origin in new[] { FrontendOriginFactory.Frontend, "https://evil.example", null })
        {
            data.Add(origin, "GET", "/api/v1/meetings/1", true);
            data.Add(origin, "GET", "/api/v1/meetings/1", false);
            data.Add(origin, "GET", "/api/v1/meetings/999999", true);
            data.Add(origin, "GET", "/api/v1/no-such-route", true);
            data.Add(origin, "DELETE", "/api/v1/meetings", true);
            data.Add(origin, "GET", "/api/v1/meetings?api_key=x", true);
            data.Add(origin, "POST", "/api/v1/owners", true);
            data.Add(origin, "GET", "/health/live", false);
            data.Add(origin, "GET", "/api/v1/reports/overdue?format=csv", true);
        }

        return data;
    }

    /// <summary>Whether an answer carries Access-Control-Allow-Origin, and which, depends on Origin: a shared cache must key on it.</summary>
    [Theory]
    [Trait("Category", "Hostile")]
    [MemberData(nameof(OriginsAndAnswers))]
    public async Task EveryAnswerVariesByOrigin(string? origin, string method, string url, bool withKey)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        if (withKey)
        {
            request.Headers.Add("X-Api-Key", TrackerFactory.AdminKey);
        }

        if (method == "POST")
        {
            // An invalid body: a 400 varies as well.
            request.Content = JsonContent.Create(new { name = "" });
        }

        var response = await factory.CreateClient().SendAsync(request);

        ((int)response.StatusCode).Should().BeInRange(200, 499);
        response.Headers.Vary.Where(v => v.Equals("Origin", StringComparison.OrdinalIgnoreCase)).Should().ContainSingle(
            "the answer ({0}) depends on Origin; Vary was '{1}'", response.StatusCode, string.Join(", ", response.Headers.Vary));
        response.Headers.Contains("Access-Control-Allow-Origin").Should().Be(origin == FrontendOriginFactory.Frontend);
    }

    [Theory]
    [Trait("Category", "Hostile")]
    [InlineData(FrontendOriginFactory.Frontend, true)]
    [InlineData("https://evil.example", false)]
    public async Task PreflightsVaryByOriginAllowedOrNot(string origin, bool allowed)
    {
        var response = await factory.CreateClient().SendAsync(Preflight(origin));

        response.Headers.Vary.Should().ContainSingle(v => v.Equals("Origin", StringComparison.OrdinalIgnoreCase));
        response.Headers.Contains("Access-Control-Allow-Origin").Should().Be(allowed);
    }

    [Fact]
    [Trait("Category", "Hostile")]
    public async Task ACsvAnswerVariesByAcceptAndOrigin()
    {
        var client = factory.Admin();
        client.DefaultRequestHeaders.Add("Origin", FrontendOriginFactory.Frontend);
        client.DefaultRequestHeaders.Add("Accept", "text/csv");

        var response = await client.GetAsync("/api/v1/reports/overdue");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Headers.Vary.Should().Contain(["Accept", "Origin"]);
    }

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/api/v1/meetings")]
    [InlineData("/api/v1/no-such-route")]
    [InlineData("/openapi/v1.json")]
    public async Task EveryResponseCarriesTheSecurityHeaders(string url)
    {
        var response = await factory.CreateClient().GetAsync(url);

        response.Headers.GetValues("X-Content-Type-Options").Should().Equal("nosniff");
        response.Headers.GetValues("X-Frame-Options").Should().Equal("DENY");
        response.Headers.GetValues("Referrer-Policy").Should().Equal("no-referrer");
        response.Headers.GetValues("Content-Security-Policy").Should().Equal(SecurityHeaders.ApiPolicy);
    }

    [Fact]
    public async Task SwaggerUiGetsAPolicyThatLetsItLoadOnlyItsOwnFiles()
    {
        var client = factory.CreateClient();
        var response = await client.GetAsync("/swagger/index.html");
        var html = await response.ShouldBeText(HttpStatusCode.OK);

        var policy = response.Headers.GetValues("Content-Security-Policy").Single();
        policy.Should().Be(SecurityHeaders.SwaggerUiPolicy).And.Contain("default-src 'none'").And.Contain("script-src 'self'")
            .And.NotContain("unsafe-eval").And.NotContain("*");
        html.Should().NotContain("<script>", "inline scripts would be blocked by script-src 'self'");
        html.Should().NotContain("<style", "inline style elements are allowed but Swagger UI does not need them");
        foreach (var file in new[] { "swagger-ui.css", "index.css", "swagger-ui-bundle.js", "swagger-ui-standalone-preset.js", "index.js" })
        {
            html.Should().Contain(file);
            await (await client.GetAsync("/swagger/" + file)).ShouldBeText(HttpStatusCode.OK);
        }

        var script = await (await client.GetAsync("/swagger/index.js")).ShouldBeText(HttpStatusCode.OK);
        script.Should().Contain("\"url\":\"/openapi/v1.json\"", "the document it fetches is on this origin (connect-src 'self')");
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("urls=http://localhost:5080", false)]
    [InlineData("urls=http://localhost:5080;https://localhost:5443", true)]
    [InlineData("https_ports=443", true)]
    [InlineData("Kestrel:Endpoints:Web:Url=https://0.0.0.0:443", true)]
    [InlineData("Kestrel:Endpoints:Web:Url=http://0.0.0.0:80", false)]
    [InlineData("Kestrel:Certificates:Default:Path=tracker.pfx", true)]
    public void DetectsAConfiguredHttpsEndpoint(string? setting, bool expected)
    {
        var values = new Dictionary<string, string?>();
        if (setting is not null)
        {
            var (key, value) = (setting[..setting.IndexOf('=', StringComparison.Ordinal)], setting[(setting.IndexOf('=', StringComparison.Ordinal) + 1)..]);
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();

        Https.IsConfigured(configuration).Should().Be(expected);
    }

    private static HttpRequestMessage Preflight(string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, "/api/v1/initiatives/1");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "PATCH");
        request.Headers.Add("Access-Control-Request-Headers", "authorization, content-type, if-match, idempotency-key, x-api-key");
        return request;
    }
}

/// <summary>Without configured origins no answer carries CORS headers, so none varies by Origin.</summary>
public sealed class NoCorsTests(TrackerFactory factory) : IClassFixture<TrackerFactory>
{
    [Fact]
    [Trait("Category", "Hostile")]
    public async Task NothingVariesByOriginWhenNoOriginIsConfigured()
    {
        var client = factory.Admin();
        client.DefaultRequestHeaders.Add("Origin", FrontendOriginFactory.Frontend);

        var response = await client.GetAsync("/api/v1/meetings/1");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Headers.Vary.Should().NotContain("Origin");
        response.Headers.Contains("Access-Control-Allow-Origin").Should().BeFalse();
    }
}
