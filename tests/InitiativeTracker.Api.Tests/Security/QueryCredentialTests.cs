using System.Net;
using InitiativeTracker.Api.Infrastructure.Security;
using InitiativeTracker.Api.Tests.Infrastructure;

namespace InitiativeTracker.Api.Tests.Security;

/// <summary>A key in the URL is refused on every route, before authentication, and never written to a log.</summary>
[Trait("Category", "Hostile")]
public sealed class QueryCredentialTests(TrackerFactory factory) : IClassFixture<TrackerFactory>, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("initiative-tracker-query-key-").FullName;

    public static TheoryData<string> Names => [.. QueryCredentials.Names];

    [Theory]
    [MemberData(nameof(Names))]
    public async Task EachCredentialNameIsRefusedAndNamedWhateverItsCase(string name)
    {
        foreach (var spelling in new[] { name, name.ToUpperInvariant() })
        {
            var response = await factory.Admin().GetAsync($"/api/v1/meetings?{spelling}=itk_something");

            var problem = await response.ShouldBeProblem(HttpStatusCode.BadRequest, spelling);
            problem["errors"]![spelling]![0]!.GetValue<string>().Should().Contain("Authorization: Bearer <key>").And.Contain("X-Api-Key");
            problem.ToJsonString().Should().NotContain("itk_something", "the refused key is not echoed");
        }
    }

    [Theory]
    [InlineData("GET", "/health/live")]
    [InlineData("GET", "/health/ready")]
    [InlineData("GET", "/openapi/v1.json")]
    [InlineData("GET", "/swagger/index.html")]
    [InlineData("GET", "/api/v1/no-such-route")]
    [InlineData("DELETE", "/api/v1/meetings")]
    [InlineData("GET", "/api/v1/initiatives/1")]
    [InlineData("POST", "/api/v1/api-keys")]
    public async Task IsRefusedOnEveryRoutePublicOrNotBeforeAuthentication(string method, string url)
    {
        // No Authorization header: a key that were read from the URL would make this a 200; without the refusal, a 401 or 404.
        var response = await factory.CreateClient().SendAsync(new HttpRequestMessage(new HttpMethod(method), $"{url}?api_key={TrackerFactory.AdminKey}"));

        var problem = await response.ShouldBeProblem(HttpStatusCode.BadRequest, "api_key");
        problem.ToJsonString().Should().NotContain(TrackerFactory.AdminKey);
    }

    [Fact]
    public async Task AnswersOnDocumentedRoutesMatchTheDocument()
    {
        // The contract-checking clients fail on an answer openapi.yaml does not list.
        await (await factory.Anonymous().GetAsync("/health/live?token=x")).ShouldBeProblem(HttpStatusCode.BadRequest, "token");
        await (await factory.Admin().GetAsync("/api/v1/owners?access_token=x")).ShouldBeProblem(HttpStatusCode.BadRequest, "access_token");
    }

    [Fact]
    public async Task ARefusedWriteChangesNothing()
    {
        var before = await factory.SnapshotAsync();

        var response = await factory.Admin().PostJsonAsync("/api/v1/owners?key=x", """{"name":"Written despite a key in the URL"}""");

        await response.ShouldBeProblem(HttpStatusCode.BadRequest, "key");
        (await factory.SnapshotAsync()).Should().Be(before);
    }

    [Fact]
    public async Task OnlyTheParameterNameCounts()
    {
        await (await factory.Admin().GetAsync("/api/v1/owners?q=token")).ShouldBe(HttpStatusCode.OK);
        await (await factory.Admin().GetAsync("/api/v1/owners?q=api_key%3Dx")).ShouldBe(HttpStatusCode.OK);
    }

    /// <summary>
    /// Through the real process, with the framework's default logging (everything at Information): started
    /// on a content root without appsettings.json, and started from another directory as deployed.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AKeySentInTheQueryStringIsWrittenToNoLog(bool withoutAppsettings)
    {
        var settings = withoutAppsettings ? new[] { "--contentRoot", _folder } : [];
        await using var service = await ServiceProcess.StartFromAsync(_folder, "Production", Path.Combine(_folder, "tracker.db"), settings);
        using var anonymous = new HttpClient { BaseAddress = service.Address };

        await (await anonymous.GetAsync($"/api/v1/meetings?api_key={ServiceProcess.AdminKey}")).ShouldBeProblem(HttpStatusCode.BadRequest, "api_key");
        await (await anonymous.GetAsync($"/health/live?access_token={ServiceProcess.AdminKey}")).ShouldBeProblem(HttpStatusCode.BadRequest, "access_token");
        await (await anonymous.GetAsync($"/api/v1/nowhere?Token={ServiceProcess.AdminKey}")).ShouldBeProblem(HttpStatusCode.BadRequest, "Token");
        await (await service.Client.GetAsync("/api/v1/meetings?marker=logged")).ShouldBe(HttpStatusCode.OK);
        // Read once the process has exited, so no line is still in the logger's buffer.
        await service.TerminateAsync(TimeSpan.FromSeconds(30));

        service.Output.Should().Contain("/api/v1/meetings 400", "requests are logged, by path");
        service.Output.Should().NotContain(ServiceProcess.AdminKey);
        service.Output.Should().NotContain("marker=logged", "no log line carries a query string");
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
