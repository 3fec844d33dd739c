using System.Net;
using System.Net.Http.Json;
using InitiativeTracker.Api.Tests.Infrastructure;

namespace InitiativeTracker.Api.Tests.Features.ApiKeys;

public sealed class ApiKeyTests(TrackerFactory factory) : IClassFixture<TrackerFactory>
{
    private readonly HttpClient _admin = factory.Admin();

    [Fact]
    public async Task CreatesAKeyShowingTheSecretOnceAndOnlyMetadataAfterwards()
    {
        var response = await _admin.PostJsonAsync("/api/v1/api-keys", """{"name":"Reporting script","role":"viewer"}""");

        var body = await response.ShouldBe(HttpStatusCode.Created);
        var id = body["id"]!.GetValue<long>();
        var key = body["key"]!.GetValue<string>();
        response.Headers.Location!.ToString().Should().Be($"/api/v1/api-keys/{id}");
        response.Headers.CacheControl!.NoStore.Should().BeTrue();
        key.Should().StartWith("itk_").And.HaveLength(47);
        body["prefix"]!.GetValue<string>().Should().Be(key[..12]);
        body["role"]!.GetValue<string>().Should().Be("viewer");
        body["createdAt"]!.GetValue<string>().Should().Be(factory.Clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture));

        var single = await (await _admin.GetAsync($"/api/v1/api-keys/{id}")).ShouldBeText(HttpStatusCode.OK);
        var list = await (await _admin.GetAsync("/api/v1/api-keys?pageSize=200")).ShouldBeText(HttpStatusCode.OK);
        foreach (var text in new[] { single, list })
        {
            text.Should().NotContain(key).And.NotContain("\"key\"").And.NotContain("hash", "metadata never includes the secret or its hash");
            text.Should().Contain(key[..12]);
        }

        (await factory.ScalarAsync<string>("SELECT changes FROM audit_entries WHERE entity_type = 'api_key' AND entity_id = @id AND action = 'create'", new { id }))
            .Should().NotContain(key).And.Contain("Reporting script");
    }

    [Fact]
    public async Task RefusesAnIdempotencyKeySoTheSecretIsNeverStoredForReplay()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/api-keys")
        {
            Content = new StringContent("""{"name":"Retried script","role":"viewer"}""", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Idempotency-Key", "retry-1");

        await (await _admin.SendAsync(request)).ShouldBeProblem(HttpStatusCode.BadRequest, "Idempotency-Key");

        (await factory.ScalarAsync<long>("SELECT COUNT(*) FROM api_keys WHERE name = 'Retried script'")).Should().Be(0);
        (await factory.ScalarAsync<long>("SELECT COUNT(*) FROM idempotency_keys")).Should().Be(0);
    }

    [Fact]
    public async Task TheSecretAuthenticatesAsBearerAndAsXApiKey()
    {
        var (_, key) = await _admin.CreateKeyAsync("viewer");

        await (await factory.WithKey(key).GetAsync("/api/v1/meetings")).ShouldBe(HttpStatusCode.OK);
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        await (await client.GetAsync("/api/v1/meetings")).ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("itk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("not-a-key")]
    public async Task AnUnknownKeyIsUnauthorized(string key)
    {
        var response = await factory.WithKey(key).GetAsync("/api/v1/meetings");

        await response.ShouldBeProblem(HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.Should().ContainSingle(h => h.Scheme == "Bearer");
    }

    [Fact]
    public async Task RevokingAKeyRejectsItAtOnceAndKeepsTheRecord()
    {
        var (id, key) = await _admin.CreateKeyAsync("coordinator");
        var client = factory.WithKey(key);
        await (await client.GetAsync("/api/v1/owners")).ShouldBe(HttpStatusCode.OK);

        (await _admin.DeleteAsync($"/api/v1/api-keys/{id}")).StatusCode.Should().Be(HttpStatusCode.NoContent);

        await (await client.GetAsync("/api/v1/owners")).ShouldBeProblem(HttpStatusCode.Unauthorized);
        var record = await (await _admin.GetAsync($"/api/v1/api-keys/{id}")).ShouldBe(HttpStatusCode.OK);
        record["revokedAt"]!.GetValue<string>().Should().NotBeNullOrEmpty();
        record["version"]!.GetValue<long>().Should().Be(2);
        (await _admin.DeleteAsync($"/api/v1/api-keys/{id}")).StatusCode.Should().Be(HttpStatusCode.NoContent, "revoking twice changes nothing");
        (await factory.ScalarAsync<long>("SELECT COUNT(*) FROM audit_entries WHERE entity_type = 'api_key' AND entity_id = @id AND action = 'revoke' AND actor = 'bootstrap'", new { id }))
            .Should().Be(1);
        var active = await (await _admin.GetAsync("/api/v1/api-keys?revoked=false&pageSize=200")).ShouldBe(HttpStatusCode.OK);
        active["items"]!.AsArray().Select(k => k!["id"]!.GetValue<long>()).Should().NotContain(id);
    }

    [Fact]
    public async Task RevokingAnUnknownKeyIsNotFound()
    {
        await (await _admin.DeleteAsync("/api/v1/api-keys/999999")).ShouldBeProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task AnExpiredKeyIsUnauthorized()
    {
        var expiresAt = factory.Clock.GetUtcNow().AddHours(1).UtcDateTime;
        var created = await _admin.CreateAsync("/api/v1/api-keys", new { name = "Expiring soon", role = "viewer", expiresAt });
        var client = factory.WithKey(created["key"]!.GetValue<string>());
        await (await client.GetAsync("/api/v1/meetings")).ShouldBe(HttpStatusCode.OK);

        factory.Clock.Advance(TimeSpan.FromHours(1));

        await (await client.GetAsync("/api/v1/meetings")).ShouldBeProblem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task RecordsTheLastUseAtMostOnceAMinute()
    {
        var (id, key) = await _admin.CreateKeyAsync("viewer");
        var client = factory.WithKey(key);
        var firstUse = factory.Clock.GetUtcNow();

        await (await client.GetAsync("/api/v1/meetings")).ShouldBe(HttpStatusCode.OK);
        factory.Clock.Advance(TimeSpan.FromSeconds(20));
        await (await client.GetAsync("/api/v1/meetings")).ShouldBe(HttpStatusCode.OK);

        var lastUsed = () => factory.ScalarAsync<string>("SELECT last_used_at FROM api_keys WHERE id = @id", new { id });
        (await lastUsed()).Should().Be(firstUse.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture));

        factory.Clock.Advance(TimeSpan.FromMinutes(2));
        await (await client.GetAsync("/api/v1/meetings")).ShouldBe(HttpStatusCode.OK);
        (await lastUsed()).Should().Be(factory.Clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task ALeadKeyNeedsAnExistingOwner()
    {
        await (await _admin.PostJsonAsync("/api/v1/api-keys", """{"name":"Lead without owner","role":"lead"}"""))
            .ShouldBeProblem(HttpStatusCode.BadRequest, "ownerId");
        await (await _admin.PostJsonAsync("/api/v1/api-keys", """{"name":"Lead of nobody","role":"lead","ownerId":999999}"""))
            .ShouldBeProblem(HttpStatusCode.BadRequest, "ownerId");
        await (await _admin.PostJsonAsync("/api/v1/api-keys", """{"name":"Viewer with owner","role":"viewer","ownerId":1}"""))
            .ShouldBeProblem(HttpStatusCode.BadRequest, "ownerId");

        var owner = await _admin.CreateAsync("/api/v1/owners", new { name = "Lead owner" });
        var lead = await _admin.CreateAsync("/api/v1/api-keys", new { name = "Lead with owner", role = "lead", ownerId = owner["id"] });
        lead["ownerId"]!.GetValue<long>().Should().Be(owner["id"]!.GetValue<long>());
    }

    [Theory]
    [InlineData("""{"role":"viewer"}""", "name")]
    [InlineData("""{"name":"line\nbreak","role":"viewer"}""", "name")]
    [InlineData("""{"name":"No role"}""", "role")]
    [InlineData("""{"name":"Root","role":"root"}""", "role")]
    [InlineData("""{"name":"Past","role":"viewer","expiresAt":"2020-01-01T00:00:00Z"}""", "expiresAt")]
    [InlineData("""{"name":"Local time","role":"viewer","expiresAt":"2099-01-01T00:00:00"}""", "expiresAt")]
    public async Task RejectsAnInvalidKeyNamingTheField(string json, string field)
    {
        await (await _admin.PostJsonAsync("/api/v1/api-keys", json)).ShouldBeProblem(HttpStatusCode.BadRequest, field);
    }

    [Theory]
    [InlineData("Duplicate name", "DUPLICATE NAME")]
    [InlineData("bootstrap", "Bootstrap")]
    public async Task RejectsATakenOrReservedNameWithConflictKeyedByName(string first, string second)
    {
        if (first != "bootstrap")
        {
            await _admin.CreateKeyAsync("viewer", name: first);
        }

        var response = await _admin.PostAsJsonAsync("/api/v1/api-keys", new { name = second, role = "viewer" });

        await response.ShouldBeProblem(HttpStatusCode.Conflict, "name");
    }

    [Theory]
    [InlineData("lead")]
    [InlineData("coordinator")]
    [InlineData("viewer")]
    public async Task OnlyAdminsManageKeys(string role)
    {
        var owner = role == "lead" ? (await _admin.CreateAsync("/api/v1/owners", new { name = "Owner of a lead" }))["id"]!.GetValue<long>() : (long?)null;
        var (id, _) = await _admin.CreateKeyAsync("viewer");
        var client = await factory.ClientForAsync(role, owner);

        await (await client.PostJsonAsync("/api/v1/api-keys", """{"name":"Escalation","role":"admin"}""")).ShouldBeProblem(HttpStatusCode.Forbidden);
        var forbidden = await (await client.GetAsync("/api/v1/api-keys")).ShouldBeProblem(HttpStatusCode.Forbidden);
        await (await client.DeleteAsync($"/api/v1/api-keys/{id}")).ShouldBeProblem(HttpStatusCode.Forbidden);
        forbidden["type"]!.GetValue<string>().Should().Be("https://initiative-tracker.example/problems/forbidden");
        forbidden["title"]!.GetValue<string>().Should().Be("Forbidden");
    }

    [Fact]
    public async Task AStoredAdminKeyManagesKeys()
    {
        var admin = await factory.ClientForAsync("admin");

        var (id, _) = await admin.CreateKeyAsync("viewer");

        (await admin.DeleteAsync($"/api/v1/api-keys/{id}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
    }
}
