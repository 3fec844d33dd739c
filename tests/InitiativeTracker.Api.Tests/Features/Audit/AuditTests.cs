using System.Net;
using InitiativeTracker.Api.Tests.Features.CheckIns;
using InitiativeTracker.Api.Tests.Infrastructure;

namespace InitiativeTracker.Api.Tests.Features.Audit;

/// <summary>Reading and filtering the audit trail. The clock stays at <see cref="TrackerFactory.Start"/> in this class.</summary>
public sealed class AuditTests(TrackerFactory factory) : IClassFixture<TrackerFactory>
{
    private readonly HttpClient _client = factory.Admin();

    [Fact]
    public async Task FiltersByEntityTypeAndIdNewestFirstWithChangesAsAnObject()
    {
        var owner = await _client.CreateAsync("/api/v1/owners", new { name = "Audit Before", unit = "Office" });
        var id = owner["id"]!.GetValue<long>();
        await (await _client.PutJsonAsync($"/api/v1/owners/{id}", """{"name":"Audit After","unit":"Office"}""")).ShouldBe(HttpStatusCode.OK);

        var body = await (await _client.GetAsync($"/api/v1/audit?entityType=owner&entityId={id}")).ShouldBe(HttpStatusCode.OK);

        body["totalCount"]!.GetValue<long>().Should().Be(2);
        var update = body["items"]![0]!;
        update["action"]!.GetValue<string>().Should().Be("update");
        update["entityType"]!.GetValue<string>().Should().Be("owner");
        update["entityId"]!.GetValue<long>().Should().Be(id);
        update["actor"]!.GetValue<string>().Should().Be("bootstrap");
        update["occurredAt"]!.GetValue<string>().Should().Be("2026-03-10T02:00:00Z");
        update["changes"]!.ToJsonString().Should().Be("""{"name":{"before":"Audit Before","after":"Audit After"}}""");
        var create = body["items"]![1]!;
        create["action"]!.GetValue<string>().Should().Be("create");
        create["changes"]!["name"]!.ToJsonString().Should().Be("""{"before":null,"after":"Audit Before"}""");
        create["changes"]!["unit"]!.ToJsonString().Should().Be("""{"before":null,"after":"Office"}""");
        create["id"]!.GetValue<long>().Should().BeLessThan(update["id"]!.GetValue<long>());
    }

    [Fact]
    public async Task FiltersByActor()
    {
        await InsertAsync("lead-li", "2025-05-01T08:00:00.000Z", 4242);
        await InsertAsync("lead-li", "2025-05-02T08:00:00.000Z", 4243);
        await InsertAsync("lead-wang", "2025-05-03T08:00:00.000Z", 4244);

        var body = await (await _client.GetAsync("/api/v1/audit?actor=lead-li")).ShouldBe(HttpStatusCode.OK);

        body["totalCount"]!.GetValue<long>().Should().Be(2);
        body["items"]!.AsArray().Select(e => e!["entityId"]!.GetValue<long>()).Should().Equal(4243, 4242);
        var bootstrap = await (await _client.GetAsync("/api/v1/audit?actor=bootstrap&pageSize=1")).ShouldBe(HttpStatusCode.OK);
        bootstrap["totalCount"]!.GetValue<long>().Should().Be(await factory.ScalarAsync<long>("SELECT COUNT(*) FROM audit_entries WHERE actor = 'bootstrap'"));
        (await (await _client.GetAsync("/api/v1/audit?actor=nobody")).ShouldBe(HttpStatusCode.OK))["totalCount"]!.GetValue<long>().Should().Be(0);
    }

    /// <summary>2025-01-02 in Asia/Shanghai runs from 2025-01-01T16:00Z (inclusive) to 2025-01-02T16:00Z (exclusive).</summary>
    [Theory]
    [InlineData("from=2025-01-02&to=2025-01-03")]
    [InlineData("from=2025-01-01T16:00:00Z&to=2025-01-02T16:00:00Z")]
    [InlineData("from=2025-01-01T16:00Z&to=2025-01-02T16:00:00.000Z")]
    [InlineData("from=2025-01-02T00:00:00%2B08:00&to=2025-01-03T00:00:00%2B08:00")]
    public async Task FiltersByTimeFromInclusiveToExclusive(string window)
    {
        var actor = $"window-{Guid.NewGuid():N}";
        await InsertAsync(actor, "2025-01-01T15:59:59.999Z", 1);
        await InsertAsync(actor, "2025-01-01T16:00:00.000Z", 2);
        await InsertAsync(actor, "2025-01-02T15:59:59.999Z", 3);
        await InsertAsync(actor, "2025-01-02T16:00:00.000Z", 4);

        var body = await (await _client.GetAsync($"/api/v1/audit?entityType=meeting&actor={actor}&{window}")).ShouldBe(HttpStatusCode.OK);

        body["items"]!.AsArray().Select(e => e!["entityId"]!.GetValue<long>()).Should().Equal(3, 2);
    }

    [Fact]
    public async Task FiltersFromOnlyOrToOnly()
    {
        await InsertAsync("open-ended", "2024-06-01T00:00:00.000Z", 1);
        await InsertAsync("open-ended", "2024-07-01T00:00:00.000Z", 2);

        var from = await (await _client.GetAsync("/api/v1/audit?actor=open-ended&from=2024-06-15T00:00:00Z")).ShouldBe(HttpStatusCode.OK);
        var to = await (await _client.GetAsync("/api/v1/audit?actor=open-ended&to=2024-06-15T00:00:00Z")).ShouldBe(HttpStatusCode.OK);

        from["items"]!.AsArray().Select(e => e!["entityId"]!.GetValue<long>()).Should().Equal(2);
        to["items"]!.AsArray().Select(e => e!["entityId"]!.GetValue<long>()).Should().Equal(1);
    }

    [Fact]
    public async Task PagesNewestFirst()
    {
        for (var i = 1; i <= 3; i++)
        {
            await InsertAsync("pager", $"2024-03-0{i}T00:00:00.000Z", i);
        }

        var page = await (await _client.GetAsync("/api/v1/audit?actor=pager&pageSize=2&page=2")).ShouldBe(HttpStatusCode.OK);

        page["totalCount"]!.GetValue<long>().Should().Be(3);
        page["page"]!.GetValue<int>().Should().Be(2);
        page["pageSize"]!.GetValue<int>().Should().Be(2);
        page["items"]!.AsArray().Select(e => e!["entityId"]!.GetValue<long>()).Should().Equal(1);
        var oldestFirst = await (await _client.GetAsync("/api/v1/audit?actor=pager&sort=occurredAt")).ShouldBe(HttpStatusCode.OK);
        oldestFirst["items"]!.AsArray().Select(e => e!["entityId"]!.GetValue<long>()).Should().Equal(1, 2, 3);
    }

    [Theory]
    [InlineData("entityType=initiatives", "entityType")]
    [InlineData("entityType=Owner", "entityType")]
    [InlineData("entityId=abc", "entityId")]
    [InlineData("from=yesterday", "from")]
    [InlineData("from=2026-03-10T10:00:00", "from")]
    [InlineData("to=2026-13-01", "to")]
    [InlineData("from=2026-03-10&to=2026-03-10", "to")]
    [InlineData("from=2026-03-11&to=2026-03-10T00:00:00Z", "to")]
    [InlineData("sort=actor", "sort")]
    [InlineData("pageSize=0", "pageSize")]
    public async Task RejectsBadFiltersNamingThem(string query, string key)
    {
        await (await _client.GetAsync($"/api/v1/audit?{query}")).ShouldBeProblem(HttpStatusCode.BadRequest, key);
    }

    [Theory]
    [InlineData("initiative")]
    [InlineData("owner")]
    [InlineData("task_force")]
    [InlineData("meeting")]
    [InlineData("direction")]
    [InlineData("check_in")]
    [InlineData("api_key")]
    public async Task AcceptsEveryEntityType(string entityType)
    {
        await (await _client.GetAsync($"/api/v1/audit?entityType={entityType}")).ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task NeedsAKey()
    {
        await (await factory.CreateClient().GetAsync("/api/v1/audit")).ShouldBeProblem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task RecordsACheckInAndTheInitiativeChangeItMade()
    {
        var id = await _client.NewInitiativeAsync();

        var checkIn = await (await _client.CheckInAsync(id, new { progress = 5, status = "in_progress", health = "on_track" })).ShouldBe(HttpStatusCode.Created);

        var created = await (await _client.GetAsync($"/api/v1/audit?entityType=check_in&entityId={checkIn["id"]}")).ShouldBe(HttpStatusCode.OK);
        created["items"]!.AsArray().Should().ContainSingle();
        created["items"]![0]!["action"]!.GetValue<string>().Should().Be("create");
        created["items"]![0]!["changes"]!["progress"]!["after"]!.GetValue<int>().Should().Be(5);

        var updated = await (await _client.GetAsync($"/api/v1/audit?entityType=initiative&entityId={id}")).ShouldBe(HttpStatusCode.OK);
        var update = updated["items"]![0]!;
        update["action"]!.GetValue<string>().Should().Be("update");
        update["actor"]!.GetValue<string>().Should().Be("bootstrap");
        update["changes"]!["status"]!.ToJsonString().Should().Be("""{"before":"planned","after":"in_progress"}""");
        update["changes"]!["progress"]!.ToJsonString().Should().Be("""{"before":0,"after":5}""");
        update["changes"]!["lastCheckInAt"]!.ToJsonString().Should().Be("""{"before":null,"after":"2026-03-10T02:00:00Z"}""");
        update["changes"]!.AsObject().Should().NotContainKey("health", "health stayed on_track");
    }

    /// <summary>An entry written straight into the trail, for filters that need other actors or past times.</summary>
    private Task<long> InsertAsync(string actor, string occurredAt, long entityId) =>
        factory.ScalarAsync<long>("""
            INSERT INTO audit_entries (occurred_at, actor, entity_type, entity_id, action, changes)
            VALUES (@occurredAt, @actor, 'meeting', @entityId, 'update', '{}');
            SELECT last_insert_rowid();
            """, new { actor, occurredAt, entityId });
}
