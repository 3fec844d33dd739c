using System.Net;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using InitiativeTracker.Api.Infrastructure.Idempotency;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace InitiativeTracker.Api.Tests.Infrastructure.Idempotency;

public sealed class IdempotencyTests(TwoAdminsFactory factory) : IClassFixture<TwoAdminsFactory>
{
    private readonly HttpClient _client = factory.Admin();

    [Fact]
    public async Task ReplaysTheFirstAnswerWithoutWritingAgain()
    {
        var key = NewKey();
        const string owner = """{"name":"Replayed Owner","email":"replayed@xjtu.edu.cn"}""";

        var first = await PostAsync("/api/v1/owners", owner, key);
        var second = await PostAsync("/api/v1/owners", owner, key);

        var firstBody = await first.ShouldBeText(HttpStatusCode.Created);
        (await second.ShouldBeText(HttpStatusCode.Created)).Should().Be(firstBody);
        second.Headers.Location.Should().Be(first.Headers.Location);
        second.Headers.ETag.Should().Be(first.Headers.ETag);
        second.Content.Headers.ContentType!.ToString().Should().Be(first.Content.Headers.ContentType!.ToString());
        second.Headers.GetValues("Idempotent-Replayed").Should().Equal("true");
        first.Headers.Contains("Idempotent-Replayed").Should().BeFalse();
        (await factory.ScalarAsync<long>("SELECT COUNT(*) FROM owners WHERE email = 'replayed@xjtu.edu.cn'")).Should().Be(1);
        (await factory.ScalarAsync<long>("SELECT COUNT(*) FROM audit_entries WHERE entity_type = 'owner' AND changes LIKE '%replayed@xjtu.edu.cn%'")).Should().Be(1);
    }

    [Fact]
    public async Task AKeyReusedWithAnotherBodyIsUnprocessableAndWritesNothing()
    {
        var key = NewKey();
        await (await PostAsync("/api/v1/owners", """{"name":"Original"}""", key)).ShouldBe(HttpStatusCode.Created);

        var problem = await (await PostAsync("/api/v1/owners", """{"name":"Different"}""", key)).ShouldBeProblem(HttpStatusCode.UnprocessableEntity);

        problem["type"]!.GetValue<string>().Should().Be("https://initiative-tracker.example/problems/idempotency-key-reused");
        (await factory.ScalarAsync<long>("SELECT COUNT(*) FROM owners WHERE name = 'Different'")).Should().Be(0);
    }

    [Fact]
    public async Task AKeyReusedOnAnotherPathIsUnprocessable()
    {
        var key = NewKey();
        await (await PostAsync("/api/v1/owners", """{"name":"Path One"}""", key)).ShouldBe(HttpStatusCode.Created);

        await (await PostAsync("/api/v1/task-forces", """{"name":"Path One"}""", key)).ShouldBeProblem(HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task ConcurrentDuplicatesWriteOnceAndAllGetTheSameAnswer()
    {
        var key = NewKey();
        const string owner = """{"name":"Raced Owner","email":"raced@xjtu.edu.cn"}""";

        var responses = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => PostAsync("/api/v1/owners", owner, key)));

        var bodies = await Task.WhenAll(responses.Select(r => r.ShouldBeText(HttpStatusCode.Created)));
        bodies.Distinct().Should().ContainSingle();
        responses.Select(r => r.Headers.Location).Distinct().Should().ContainSingle();
        responses.Count(r => r.Headers.Contains("Idempotent-Replayed")).Should().Be(4);
        (await factory.ScalarAsync<long>("SELECT COUNT(*) FROM owners WHERE email = 'raced@xjtu.edu.cn'")).Should().Be(1);
    }

    [Fact]
    public async Task FailedAnswersAreNotKeptSoTheKeyCanBeRetried()
    {
        var key = NewKey();
        await (await PostAsync("/api/v1/owners", """{"email":"no-name@xjtu.edu.cn"}""", key)).ShouldBeProblem(HttpStatusCode.BadRequest, "name");

        var again = await PostAsync("/api/v1/owners", """{"email":"no-name@xjtu.edu.cn"}""", key);
        await again.ShouldBeProblem(HttpStatusCode.BadRequest, "name");
        again.Headers.Contains("Idempotent-Replayed").Should().BeFalse();

        await (await PostAsync("/api/v1/owners", """{"name":"Fixed","email":"no-name@xjtu.edu.cn"}""", key)).ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task KeysAreScopedPerApiKey()
    {
        var key = NewKey();
        const string owner = """{"name":"Scoped Owner"}""";
        var second = factory.WithKey(TwoAdminsFactory.SecondKey);

        var mine = await (await PostAsync("/api/v1/owners", owner, key)).ShouldBe(HttpStatusCode.Created);
        var theirsResponse = await PostAsync("/api/v1/owners", owner, key, second);
        var theirs = await theirsResponse.ShouldBe(HttpStatusCode.Created);

        theirsResponse.Headers.Contains("Idempotent-Replayed").Should().BeFalse();
        theirs["id"]!.GetValue<long>().Should().NotBe(mine["id"]!.GetValue<long>());
        (await factory.ScalarAsync<long>("SELECT COUNT(*) FROM idempotency_keys WHERE key = @key", new { key })).Should().Be(2);
    }

    [Fact]
    public async Task KeysExpireAfterADayAndArePurged()
    {
        var key = NewKey();
        await (await PostAsync("/api/v1/owners", """{"name":"Yesterday"}""", key)).ShouldBe(HttpStatusCode.Created);

        factory.Clock.Advance(TimeSpan.FromHours(24) + TimeSpan.FromMinutes(1));
        await (await PostAsync("/api/v1/owners", """{"name":"Today"}""", NewKey())).ShouldBe(HttpStatusCode.Created);
        (await factory.ScalarAsync<long>("SELECT COUNT(*) FROM idempotency_keys WHERE key = @key", new { key })).Should().Be(0);

        await (await PostAsync("/api/v1/owners", """{"name":"Same key, new day"}""", key)).ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task AReservationLeftByACrashLapses()
    {
        var key = NewKey();
        await factory.ScalarAsync<long>("""
            INSERT INTO idempotency_keys (scope, key, request_hash, reservation, locked_until, created_at, expires_at)
            VALUES ('bootstrap', @key, 'hash-of-a-request-that-died', 'dead', '2026-03-10T01:59:00.000Z', '2026-03-10T01:54:00.000Z', '2026-03-11T01:54:00.000Z')
            RETURNING 1;
            """, new { key });

        await (await PostAsync("/api/v1/owners", """{"name":"After the crash"}""", key)).ShouldBe(HttpStatusCode.Created);
    }

    [Theory]
    [InlineData("tab\tinside")]
    [InlineData("caf\u00e9")]
    [InlineData("201")]
    public async Task RejectsAMalformedKeyNamingTheHeader(string key)
    {
        key = key == "201" ? new string('k', 201) : key;
        var name = $"Malformed {Guid.NewGuid():N}";

        await (await PostAsync("/api/v1/owners", $$"""{"name":"{{name}}"}""", key)).ShouldBeProblem(HttpStatusCode.BadRequest, "Idempotency-Key");

        (await factory.ScalarAsync<long>("SELECT COUNT(*) FROM owners WHERE name = @name", new { name })).Should().Be(0);
    }

    [Fact]
    public async Task RejectsTwoKeys()
    {
        var request = Post("/api/v1/owners", """{"name":"Two keys"}""", NewKey());
        request.Headers.TryAddWithoutValidation("Idempotency-Key", NewKey());

        await (await _client.SendAsync(request)).ShouldBeProblem(HttpStatusCode.BadRequest, "Idempotency-Key");
    }

    [Fact]
    public async Task PostsWithoutAKeyAreNotDeduplicated()
    {
        const string owner = """{"name":"Keyless"}""";

        await (await _client.PostJsonAsync("/api/v1/owners", owner)).ShouldBe(HttpStatusCode.Created);
        await (await _client.PostJsonAsync("/api/v1/owners", owner)).ShouldBe(HttpStatusCode.Created);

        (await factory.ScalarAsync<long>("SELECT COUNT(*) FROM owners WHERE name = 'Keyless'")).Should().Be(2);
    }

    [Fact]
    public async Task AKeyedPostToARouteThatTakesNoPostIsA405ThatReservesNothing()
    {
        await (await _client.GetAsync("/api/v1/reports/overdue")).ShouldBe(HttpStatusCode.OK);
        // data_version changes when any other connection commits: a reservation made and released would show.
        await using var watcher = new SqliteConnection($"Data Source={factory.DatabaseFile};Pooling=False");
        await watcher.OpenAsync();
        var before = await watcher.ExecuteScalarAsync<long>("PRAGMA data_version;");

        foreach (var client in new[] { factory.Anonymous(), _client })
        {
            var response = await PostAsync("/api/v1/reports/overdue", "{}", NewKey(), client);
            await response.ShouldBeProblem(HttpStatusCode.MethodNotAllowed);
        }

        (await watcher.ExecuteScalarAsync<long>("PRAGMA data_version;")).Should().Be(before, "nothing was written");
    }

    internal static string NewKey() => Guid.NewGuid().ToString();

    internal static HttpRequestMessage Post(string url, string json, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        return request;
    }

    private Task<HttpResponseMessage> PostAsync(string url, string json, string key, HttpClient? client = null) =>
        (client ?? _client).SendAsync(Post(url, json, key));
}

/// <summary>With a short wait, to see what a duplicate answers while another process holds its key.</summary>
public sealed class IdempotencyInProgressTests(IdempotencyInProgressTests.ShortWaitFactory factory)
    : IClassFixture<IdempotencyInProgressTests.ShortWaitFactory>
{
    [Fact]
    public async Task ADuplicateOfARequestStillRunningIsAConflictWithRetryAfter()
    {
        var client = factory.Admin();
        var key = IdempotencyTests.NewKey();
        const string body = """{"name":"Held by a running request"}""";
        await ReserveAsync(key, body, factory.Services.GetRequiredService<IdempotencyStore>().Run + "running");

        var response = await client.SendAsync(IdempotencyTests.Post("/api/v1/owners", body, key));

        var problem = await response.ShouldBeProblem(HttpStatusCode.Conflict);
        problem["type"]!.GetValue<string>().Should().Be("https://initiative-tracker.example/problems/idempotency-key-in-progress");
        response.Headers.RetryAfter.Should().NotBeNull();
        (await factory.ScalarAsync<long>("SELECT COUNT(*) FROM owners WHERE name = 'Held by a running request'")).Should().Be(0);
    }

    [Fact]
    public async Task AKeyThatAnEarlierRunLeftUnansweredIsFreeAtOnce()
    {
        // An answer commits with its request's writes: a reservation of an earlier run (it crashed
        // before answering) wrote nothing, so the retry runs now instead of waiting out the lease.
        var client = factory.Admin();
        var key = IdempotencyTests.NewKey();
        const string body = """{"name":"Cut off by a crash"}""";
        await ReserveAsync(key, body, "an-earlier-run.token");

        var first = await client.SendAsync(IdempotencyTests.Post("/api/v1/owners", body, key));
        var created = await first.ShouldBe(HttpStatusCode.Created);
        var replay = await client.SendAsync(IdempotencyTests.Post("/api/v1/owners", body, key));

        (await replay.ShouldBe(HttpStatusCode.Created))["id"]!.GetValue<long>().Should().Be(created["id"]!.GetValue<long>());
        replay.Headers.GetValues("Idempotent-Replayed").Should().Equal("true");
        (await factory.ScalarAsync<long>("SELECT COUNT(*) FROM owners WHERE name = 'Cut off by a crash'")).Should().Be(1);
    }

    private Task<long> ReserveAsync(string key, string body, string reservation) => factory.ScalarAsync<long>("""
        INSERT INTO idempotency_keys (scope, key, request_hash, reservation, locked_until, created_at, expires_at)
        VALUES ('bootstrap', @key, @hash, @reservation, '2026-03-10T02:04:00.000Z', '2026-03-10T02:00:00.000Z', '2026-03-11T02:00:00.000Z')
        RETURNING 1;
        """, new { key, reservation, hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("POST /api/v1/owners\n" + body))) });

    public sealed class ShortWaitFactory : TrackerFactory
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Tracker:Idempotency:MaxWait"] = "00:00:00.300",
        };
    }
}
