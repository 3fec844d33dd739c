using System.Net;
using System.Text;
using InitiativeTracker.Api.Tests.Infrastructure;

namespace InitiativeTracker.Api.Tests.Security;

/// <summary>
/// A body that names a member twice is a 400 naming the member, whichever way the route reads its body
/// (bound to a type, a merge patch, an import row): never last-wins, never a 500, and nothing is written.
/// </summary>
[Trait("Category", "Hostile")]
public sealed class DuplicateMemberTests(TrackerFactory factory) : IClassFixture<TrackerFactory>
{
    private readonly HttpClient _admin = factory.Admin();

    [Theory]
    [InlineData("""{"name":"Twice named","role":"viewer","role":"admin"}""", "role")]
    [InlineData("""{"name":"Twice named","role":"admin","role":"viewer"}""", "role")]
    [InlineData("""{"name":"Twice named","role":"viewer","Role":"admin"}""", "Role")]
    [InlineData("""{"name":"Twice named","name":"Other","role":"viewer"}""", "name")]
    public async Task RefusesAnApiKeyBodyNamingAMemberTwiceAndCreatesNoKey(string body, string member)
    {
        var before = await factory.SnapshotAsync();

        var problem = await (await _admin.PostJsonAsync("/api/v1/api-keys", body)).ShouldBeProblem(HttpStatusCode.BadRequest, member);

        problem["errors"]!.AsObject().Should().ContainSingle();
        problem["errors"]![member]![0]!.GetValue<string>().Should().Be($"'{member}' appears more than once.");
        (await factory.SnapshotAsync()).Should().Be(before);
    }

    [Fact]
    public async Task NamesADuplicateNestedInsideAMemberByItsPath()
    {
        var before = await factory.SnapshotAsync();

        var problem = await (await _admin.PostJsonAsync("/api/v1/owners", """{"name":"Nested","unit":{"a":1,"a":2}}"""))
            .ShouldBeProblem(HttpStatusCode.BadRequest, "unit.a");

        problem["errors"]!["unit.a"]![0]!.GetValue<string>().Should().Be("'a' appears more than once.");
        (await factory.SnapshotAsync()).Should().Be(before);
    }

    [Theory]
    [InlineData("""{"description":"a","description":"b"}""", "description")]
    [InlineData("""{"description":"a","Description":"b"}""", "Description")]
    [InlineData("""{"title":"One","deadline":"2026-12-31","title":"Two"}""", "title")]
    public async Task RefusesAMergePatchNamingAMemberTwiceAndChangesNothing(string patch, string member)
    {
        var id = await NewInitiativeAsync();
        var before = await factory.SnapshotAsync();

        var problem = await (await _admin.PatchMergeAsync($"/api/v1/initiatives/{id}", patch)).ShouldBeProblem(HttpStatusCode.BadRequest, member);

        problem["errors"]![member]![0]!.GetValue<string>().Should().MatchRegex("appears more than once\\.$");
        (await factory.SnapshotAsync()).Should().Be(before);
    }

    [Fact]
    public async Task RefusesAMergePatchThatIsNotAnObject()
    {
        var id = await NewInitiativeAsync();

        await (await _admin.PatchMergeAsync($"/api/v1/initiatives/{id}", "[1]")).ShouldBeProblem(HttpStatusCode.BadRequest, "body");
    }

    [Fact]
    public async Task RefusesAnImportRowNamingOwnerIdTwiceAsAnErrorOfThatRowAndImportsNothing()
    {
        var owner = await NewOwnerAsync();
        var before = await factory.SnapshotAsync();
        var json = $$"""
            [
              {"directionId": 2, "ownerId": {{owner}}, "title": "Fine row", "deadline": "2026-12-31"},
              {"directionId": 2, "ownerId": {{owner}}, "ownerId": 1, "title": "Twice owned", "deadline": "2026-12-31"}
            ]
            """;

        var problem = await (await _admin.PostAsync("/api/v1/initiatives/import", new StringContent(json, Encoding.UTF8, "application/json")))
            .ShouldBeProblem(HttpStatusCode.BadRequest, "rows[1].ownerId");

        problem["errors"]!.AsObject().Select(e => e.Key).Should().Equal("rows[1].ownerId");
        problem["errors"]!["rows[1].ownerId"]![0]!.GetValue<string>().Should().Be("'ownerId' appears more than once.");
        (await factory.SnapshotAsync()).Should().Be(before);
    }

    [Fact]
    public async Task NamesADuplicateWebhookMember()
    {
        var problem = await (await _admin.PostJsonAsync("/api/v1/webhooks",
                """{"url":"https://hooks.example.com/a","events":["initiative.created"],"url":"https://hooks.example.com/b"}"""))
            .ShouldBeProblem(HttpStatusCode.BadRequest, "url");

        problem["errors"]!["url"]![0]!.GetValue<string>().Should().Be("'url' appears more than once.");
    }

    private async Task<long> NewOwnerAsync() =>
        (await _admin.CreateAsync("/api/v1/owners", new { name = "Duplicate Owner" }))["id"]!.GetValue<long>();

    private async Task<long> NewInitiativeAsync() =>
        await _admin.IdOfAsync("/api/v1/initiatives", new { directionId = 2, ownerId = await NewOwnerAsync(), title = "Patched twice", deadline = "2026-12-31" });
}
