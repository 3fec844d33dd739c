using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using InitiativeTracker.Api.Tests.Infrastructure;

namespace InitiativeTracker.Api.Tests.Features.Initiatives;

/// <summary>PATCH in both media types, and its preconditions: If-Match current, stale, <c>*</c>, and raced.</summary>
public sealed class PatchInitiativeConditionalTests(TrackerFactory factory) : IClassFixture<TrackerFactory>
{
    private readonly HttpClient _client = factory.Admin();

    [Theory]
    [InlineData("application/merge-patch+json")]
    [InlineData("application/json")]
    public async Task ChangesOnlyTheFieldsSentInEitherMediaType(string mediaType)
    {
        var initiative = await NewInitiativeAsync();

        var response = await PatchAsync(initiative, """{"description":"With two partner universities"}""", mediaType);

        var body = await response.ShouldBe(HttpStatusCode.OK);
        body["description"]!.GetValue<string>().Should().Be("With two partner universities");
        body["title"]!.GetValue<string>().Should().Be(initiative["title"]!.GetValue<string>());
        body["version"]!.GetValue<long>().Should().Be(2);
        response.Headers.ETag!.Tag.Should().Be("\"2\"");
    }

    [Fact]
    public async Task IfMatchStarAcceptsAnyVersion()
    {
        var initiative = await NewInitiativeAsync();
        await (await PatchAsync(initiative, """{"title":"First change"}""")).ShouldBe(HttpStatusCode.OK);

        var body = await (await PatchAsync(initiative, """{"title":"Second change"}""", ifMatch: "*")).ShouldBe(HttpStatusCode.OK);

        body["title"]!.GetValue<string>().Should().Be("Second change");
        body["version"]!.GetValue<long>().Should().Be(3);
    }

    [Fact]
    public async Task AStaleIfMatchIsAPreconditionFailure()
    {
        var initiative = await NewInitiativeAsync();
        await (await PatchAsync(initiative, """{"title":"Moved on"}""")).ShouldBe(HttpStatusCode.OK);

        await (await PatchAsync(initiative, """{"title":"Lost update"}""", ifMatch: "\"1\"")).ShouldBeProblem(HttpStatusCode.PreconditionFailed);

        (await factory.ScalarAsync<string>("SELECT title FROM initiatives WHERE id = @id", new { id = initiative["id"]!.GetValue<long>() }))
            .Should().Be("Moved on");
    }

    [Fact]
    public async Task OfTwoConcurrentPatchesWithTheSameIfMatchExactlyOneWins()
    {
        var initiative = await NewInitiativeAsync();

        var responses = await Task.WhenAll(
            PatchAsync(initiative, """{"title":"From the first editor"}""", ifMatch: "\"1\""),
            PatchAsync(initiative, """{"title":"From the second editor"}""", ifMatch: "\"1\""));

        responses.Select(r => r.StatusCode).Should().BeEquivalentTo([HttpStatusCode.OK, HttpStatusCode.PreconditionFailed]);
        (await factory.ScalarAsync<long>("SELECT version FROM initiatives WHERE id = @id", new { id = initiative["id"]!.GetValue<long>() }))
            .Should().Be(2);
    }

    private async Task<JsonNode> NewInitiativeAsync()
    {
        var owner = await _client.CreateAsync("/api/v1/owners", new { name = "Patch Owner" });
        return await _client.CreateAsync("/api/v1/initiatives", new
        {
            directionId = 2,
            ownerId = owner["id"]!.GetValue<long>(),
            title = "Joint technology transfer center in Almaty",
            deadline = "2026-12-31",
        });
    }

    private Task<HttpResponseMessage> PatchAsync(JsonNode initiative, string patch, string mediaType = "application/merge-patch+json", string? ifMatch = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/initiatives/{initiative["id"]}")
        {
            Content = new StringContent(patch, Encoding.UTF8, mediaType),
        };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return _client.SendAsync(request);
    }
}
