using System.Net;
using System.Net.Http.Headers;
using InitiativeTracker.Api.Tests.Infrastructure;

namespace InitiativeTracker.Api.Tests.Contract;

/// <summary>HEAD answers as GET does without the body, and a wrong method is a 405 whoever asks.</summary>
public sealed class HeadAndMethodTests(TrackerFactory factory) : IClassFixture<TrackerFactory>
{
    private readonly HttpClient _admin = factory.Admin();
    private readonly HttpClient _anonymous = factory.Anonymous();

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task AnswersHeadOfAPublicHealthEndpointWithoutAKey(string url)
    {
        var get = await _anonymous.GetAsync(url);
        var head = await _anonymous.SendAsync(new HttpRequestMessage(HttpMethod.Head, url));

        head.StatusCode.Should().Be(HttpStatusCode.OK);
        (await head.Content.ReadAsByteArrayAsync()).Should().BeEmpty();
        (await get.Content.ReadAsByteArrayAsync()).Should().NotBeEmpty();
        head.Content.Headers.ContentType!.MediaType.Should().Be("application/json");
    }

    [Fact]
    public async Task AnswersHeadOfAResourceWithItsHeadersAndNoBody()
    {
        var owner = await _admin.CreateAsync("/api/v1/owners", new { name = "Head Owner" });
        var url = $"/api/v1/owners/{owner["id"]}";
        var before = await factory.SnapshotAsync();

        var head = await _admin.SendAsync(new HttpRequestMessage(HttpMethod.Head, url));

        head.StatusCode.Should().Be(HttpStatusCode.OK);
        head.Headers.ETag!.Tag.Should().Be("\"1\"");
        head.Content.Headers.ContentType!.MediaType.Should().Be("application/json");
        (await head.Content.ReadAsByteArrayAsync()).Should().BeEmpty();
        (await factory.SnapshotAsync()).Should().Be(before);
    }

    [Fact]
    public async Task AnswersAConditionalHeadWithNotModified()
    {
        var owner = await _admin.CreateAsync("/api/v1/owners", new { name = "Conditional Head" });
        var request = new HttpRequestMessage(HttpMethod.Head, $"/api/v1/owners/{owner["id"]}");
        request.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"1\""));

        var head = await _admin.SendAsync(request);

        head.StatusCode.Should().Be(HttpStatusCode.NotModified);
        head.Headers.ETag!.Tag.Should().Be("\"1\"");
    }

    [Fact]
    public async Task AnswersHeadOfACsvReportWithTheCsvHeaders()
    {
        var head = await _admin.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/api/v1/reports/progress?format=csv"));

        head.StatusCode.Should().Be(HttpStatusCode.OK);
        head.Content.Headers.ContentType!.MediaType.Should().Be("text/csv");
        head.Content.Headers.ContentDisposition!.DispositionType.Should().Be("attachment");
        (await head.Content.ReadAsByteArrayAsync()).Should().BeEmpty();
    }

    [Theory]
    [InlineData(false, "/api/v1/owners", HttpStatusCode.Unauthorized)]
    [InlineData(true, "/api/v1/nothing-here", HttpStatusCode.NotFound)]
    [InlineData(true, "/api/v1/owners?pageSize=0", HttpStatusCode.BadRequest)]
    public async Task AnswersAFailedHeadWithTheStatusOfItsGetAndNoBody(bool withKey, string url, HttpStatusCode status)
    {
        var head = await (withKey ? _admin : _anonymous).SendAsync(new HttpRequestMessage(HttpMethod.Head, url));

        head.StatusCode.Should().Be(status);
        head.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        (await head.Content.ReadAsByteArrayAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task RefusesHeadWhereThereIsNoGet()
    {
        var head = await _admin.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/api/v1/initiatives/import"));

        head.StatusCode.Should().Be(HttpStatusCode.MethodNotAllowed);
        head.Content.Headers.Allow.Should().Equal("POST");
    }

    [Theory]
    [InlineData("POST", "/health/live")]
    [InlineData("DELETE", "/health/ready")]
    [InlineData("PUT", "/openapi/v1.json")]
    public async Task AnswersAWrongMethodOnAPublicEndpointWithMethodNotAllowed(string method, string url)
    {
        var response = await _anonymous.SendAsync(new HttpRequestMessage(new HttpMethod(method), url));

        var problem = await response.ShouldBeProblem(HttpStatusCode.MethodNotAllowed);
        problem["type"]!.GetValue<string>().Should().Be("https://initiative-tracker.example/problems/method-not-allowed");
        response.Content.Headers.Allow.Should().BeEquivalentTo(["GET", "HEAD"]);
    }

    [Fact]
    public async Task AnswersAWrongMethodWithMethodNotAllowedBeforeAskingForAKey()
    {
        var before = await factory.SnapshotAsync();

        var response = await _anonymous.SendJsonAsync(HttpMethod.Patch, "/api/v1/owners/1", """{"name":"x"}""");

        await response.ShouldBeProblem(HttpStatusCode.MethodNotAllowed);
        response.Content.Headers.Allow.Should().BeEquivalentTo(["GET", "HEAD", "PUT", "DELETE"]);
        (await factory.SnapshotAsync()).Should().Be(before);
    }
}
