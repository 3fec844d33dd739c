using System.Net;
using System.Net.Http.Headers;
using InitiativeTracker.Api.Tests.Infrastructure;

namespace InitiativeTracker.Api.Tests.Contract;

public sealed class ConditionalRequestTests(TrackerFactory factory) : IClassFixture<TrackerFactory>
{
    private readonly HttpClient _client = factory.Admin();

    [Theory]
    [InlineData("\"1\"")]
    [InlineData("W/\"1\"")]
    [InlineData("*")]
    [InlineData("\"7\", \"1\"")]
    public async Task AnswersNotModifiedWithTheETagAndNoBodyWhenIfNoneMatchMatches(string ifNoneMatch)
    {
        var url = await NewOwnerAsync();

        var response = await GetAsync(url, ifNoneMatch);

        response.StatusCode.Should().Be(HttpStatusCode.NotModified);
        response.Headers.ETag!.Tag.Should().Be("\"1\"");
        (await response.Content.ReadAsByteArrayAsync()).Should().BeEmpty();
        response.Content.Headers.ContentType.Should().BeNull();
    }

    [Fact]
    public async Task AnswersTheResourceWhenTheClientsETagIsStale()
    {
        var url = await NewOwnerAsync();
        (await _client.PutJsonAsync(url, """{"name":"Renamed"}""")).EnsureSuccessStatusCode();

        var response = await GetAsync(url, "\"1\"");

        var body = await response.ShouldBe(HttpStatusCode.OK);
        response.Headers.ETag!.Tag.Should().Be("\"2\"");
        body["name"]!.GetValue<string>().Should().Be("Renamed");
    }

    [Fact]
    public async Task LeavesAnswersWithoutAnETagAlone()
    {
        await NewOwnerAsync();

        var response = await GetAsync("/api/v1/owners", "*");

        var body = await response.ShouldBe(HttpStatusCode.OK);
        body["items"]!.AsArray().Should().NotBeEmpty();
    }

    [Fact]
    public async Task StillAnswersNotFoundForAMissingResource()
    {
        await (await GetAsync("/api/v1/owners/999999", "*")).ShouldBeProblem(HttpStatusCode.NotFound);
    }

    private async Task<string> NewOwnerAsync()
    {
        var owner = await _client.CreateAsync("/api/v1/owners", new { name = "Conditional" });
        return $"/api/v1/owners/{owner["id"]}";
    }

    private Task<HttpResponseMessage> GetAsync(string url, string ifNoneMatch)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return _client.SendAsync(request);
    }
}
