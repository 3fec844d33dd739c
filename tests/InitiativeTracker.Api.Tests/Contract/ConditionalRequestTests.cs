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

    [Theory]
    [InlineData("3")]
    [InlineData("\"1")]
    [InlineData("\"1\" \"2\"")]
    [InlineData("*, \"1\"")]
    public async Task RefusesAMalformedIfMatchNamingTheHeaderAndWritesNothing(string ifMatch)
    {
        var url = await NewOwnerAsync();
        var before = await factory.SnapshotAsync();

        var put = await _client.SendJsonAsync(HttpMethod.Put, url, """{"name":"Unguarded"}""", ifMatch: ifMatch);
        var delete = await _client.SendJsonAsync(HttpMethod.Delete, url, null, ifMatch: ifMatch);

        foreach (var response in new[] { put, delete })
        {
            var problem = await response.ShouldBeProblem(HttpStatusCode.BadRequest, "If-Match");
            problem["type"]!.GetValue<string>().Should().Be("https://initiative-tracker.example/problems/validation");
            problem["errors"]!["If-Match"]![0]!.GetValue<string>().Should().Contain("quoted");
        }

        (await factory.SnapshotAsync()).Should().Be(before);
    }

    [Theory]
    [InlineData("\"1\"", HttpStatusCode.OK)]
    [InlineData("\"7\", \"1\"", HttpStatusCode.OK)]
    [InlineData("*", HttpStatusCode.OK)]
    [InlineData("\"7\"", HttpStatusCode.PreconditionFailed)]
    [InlineData("W/\"1\"", HttpStatusCode.PreconditionFailed)]
    public async Task ComparesAWellFormedIfMatchStrongly(string ifMatch, HttpStatusCode status)
    {
        var url = await NewOwnerAsync();

        var response = await _client.SendJsonAsync(HttpMethod.Put, url, """{"name":"Guarded"}""", ifMatch: ifMatch);

        response.StatusCode.Should().Be(status, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("1")]
    [InlineData("\"1")]
    public async Task RefusesAMalformedIfNoneMatchNamingTheHeader(string ifNoneMatch)
    {
        var url = await NewOwnerAsync();

        var problem = await (await GetAsync(url, ifNoneMatch)).ShouldBeProblem(HttpStatusCode.BadRequest, "If-None-Match");

        problem["errors"]!["If-None-Match"]![0]!.GetValue<string>().Should().Contain("quoted");
    }

    [Fact]
    public async Task IgnoresIfNoneMatchWhereThereIsNoETagToCompare()
    {
        await NewOwnerAsync();

        await (await GetAsync("/api/v1/owners", "1")).ShouldBe(HttpStatusCode.OK);
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
