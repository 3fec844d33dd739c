using System.Net;
using System.Net.Http.Headers;

namespace InitiativeTracker.Api.Tests.Infrastructure.Auth;

public sealed class ApiKeyAuthenticationTests(TrackerFactory factory) : IClassFixture<TrackerFactory>
{
    [Theory]
    [InlineData("/api/v1/meetings")]
    [InlineData("/api/v1/directions/1")]
    [InlineData("/api/v1/owners")]
    [InlineData("/api/v1/task-forces")]
    [InlineData("/api/v1/initiatives")]
    public async Task AnswersUnauthorizedWithABearerChallengeWithoutAKey(string url)
    {
        var response = await factory.CreateClient().GetAsync(url);

        var problem = await response.ShouldBeProblem(HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.Select(h => h.Scheme).Should().Equal("Bearer");
        problem["type"]!.GetValue<string>().Should().Be("https://initiative-tracker.example/problems/unauthorized");
        problem["title"]!.GetValue<string>().Should().Be("Unauthorized");
        problem["detail"]!.GetValue<string>().Should().Contain("Authorization: Bearer");
    }

    [Fact]
    public async Task AnswersUnauthorizedForAnUnknownKey()
    {
        var response = await factory.WithKey("not-a-real-key").GetAsync("/api/v1/meetings");

        var problem = await response.ShouldBeProblem(HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.Select(h => h.Scheme).Should().Equal("Bearer");
        problem["detail"]!.GetValue<string>().Should().Contain("not recognised");
    }

    [Fact]
    public async Task RefusesAWriteWithoutAKeyAndWritesNothing()
    {
        var before = await factory.SnapshotAsync();

        var response = await factory.CreateClient().PostJsonAsync("/api/v1/owners", """{"name":"Intruder"}""");

        await response.ShouldBeProblem(HttpStatusCode.Unauthorized);
        (await factory.SnapshotAsync()).Should().Be(before);
    }

    [Theory]
    [InlineData("Bearer")]
    [InlineData("Bearer    ")]
    [InlineData("Basic dGVzdDp0ZXN0")]
    public async Task TreatsAnEmptyOrForeignAuthorizationHeaderAsNoKey(string authorization)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", authorization);

        var response = await client.GetAsync("/api/v1/meetings");

        var problem = await response.ShouldBeProblem(HttpStatusCode.Unauthorized);
        problem["detail"]!.GetValue<string>().Should().Contain("Send an API key");
    }

    [Fact]
    public async Task AcceptsTheKeyAsABearerToken()
    {
        await (await factory.Admin().GetAsync("/api/v1/meetings")).ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task AcceptsTheKeyInTheXApiKeyHeader()
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", TrackerFactory.AdminKey);

        var created = await client.CreateAsync("/api/v1/owners", new { name = "Via X-Api-Key" });

        (await factory.ScalarAsync<string>("SELECT actor FROM audit_entries WHERE entity_type = 'owner' AND entity_id = @id",
            new { id = created["id"]!.GetValue<long>() })).Should().Be("bootstrap");
    }

    [Fact]
    public async Task DoesNotAcceptAKeyThatOnlyDiffersInCase()
    {
        var response = await factory.WithKey(TrackerFactory.AdminKey.ToUpperInvariant()).GetAsync("/api/v1/meetings");

        await response.ShouldBeProblem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task UsesTheBearerTokenWhenBothHeadersAreSent()
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "wrong-key");
        client.DefaultRequestHeaders.Add("X-Api-Key", TrackerFactory.AdminKey);

        await (await client.GetAsync("/api/v1/meetings")).ShouldBeProblem(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    [InlineData("/openapi/v1.json")]
    [InlineData("/openapi/v1.yaml")]
    public async Task ServesPublicEndpointsWithoutAKey(string url)
    {
        var response = await factory.CreateClient().GetAsync(url);

        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ReportsLivenessAndReadinessAsJson()
    {
        var client = factory.CreateClient();

        (await (await client.GetAsync("/health/live")).ShouldBe(HttpStatusCode.OK))["status"]!.GetValue<string>().Should().Be("live");
        (await (await client.GetAsync("/health/ready")).ShouldBe(HttpStatusCode.OK))["status"]!.GetValue<string>().Should().Be("ready");
    }
}
