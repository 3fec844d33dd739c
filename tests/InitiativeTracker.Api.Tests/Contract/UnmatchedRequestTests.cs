using System.Net;
using InitiativeTracker.Api.Tests.Infrastructure;

namespace InitiativeTracker.Api.Tests.Contract;

/// <summary>Requests no endpoint answers still get the one error shape.</summary>
public sealed class UnmatchedRequestTests(TrackerFactory factory) : IClassFixture<TrackerFactory>
{
    private readonly HttpClient _client = factory.Admin();

    [Theory]
    [InlineData("/api/v1/nothing-here")]
    [InlineData("/api/v2/owners")]
    [InlineData("/api/v1/owners/not-a-number")]
    [InlineData("/api/v1/owners/99999999999999999999")]
    public async Task AnswersAnUnknownRouteWithANotFoundProblem(string url)
    {
        var response = await _client.GetAsync(url);

        var problem = await response.ShouldBeProblem(HttpStatusCode.NotFound);
        problem["type"]!.GetValue<string>().Should().Be("https://initiative-tracker.example/problems/not-found");
    }

    [Theory]
    [InlineData("PATCH", "/api/v1/owners/1")]
    [InlineData("DELETE", "/api/v1/meetings/1")]
    [InlineData("PUT", "/api/v1/initiatives")]
    [InlineData("POST", "/api/v1/directions/1")]
    public async Task AnswersAWrongMethodOnAKnownRouteWithAMethodNotAllowedProblem(string method, string url)
    {
        var before = await factory.SnapshotAsync();

        var response = await _client.SendJsonAsync(new HttpMethod(method), url, """{"name":"x"}""");

        var problem = await response.ShouldBeProblem(HttpStatusCode.MethodNotAllowed);
        problem["type"]!.GetValue<string>().Should().Be("https://initiative-tracker.example/problems/method-not-allowed");
        (await factory.SnapshotAsync()).Should().Be(before);
    }

    [Fact]
    public async Task NamesTheAllowedMethodsOfARoute()
    {
        var response = await _client.SendJsonAsync(HttpMethod.Patch, "/api/v1/owners/1", "{}");

        response.StatusCode.Should().Be(HttpStatusCode.MethodNotAllowed);
        response.Content.Headers.Allow.Should().BeEquivalentTo(["GET", "HEAD", "PUT", "DELETE"]);
    }

    [Fact]
    public async Task NeverAnswersWithAStackTraceOrSql()
    {
        var response = await _client.PostJsonAsync("/api/v1/directions", """{"meetingId":1,"number":1,"title":"Clash with the seed"}""");

        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.Conflict);
        text.Should().NotContainAny("UNIQUE constraint", "SqliteException", "   at ", "directions.number");
    }
}
