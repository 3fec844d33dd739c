using System.Net;
using System.Net.Http.Json;
using System.Text;
using InitiativeTracker.Api.Tests.Infrastructure;

namespace InitiativeTracker.Api.Tests.Security;

/// <summary>A lead writes the initiatives its owner owns or that belong to a task force its owner leads; nothing else.</summary>
public sealed class LeadScopeTests(TrackerFactory factory) : IClassFixture<TrackerFactory>
{
    private readonly HttpClient _admin = factory.Admin();

    [Fact]
    public async Task EditsItsOwnersInitiative()
    {
        var (lead, me) = await LeadAsync();
        var id = await InitiativeAsync(me);

        await (await lead.PatchAsync($"/api/v1/initiatives/{id}", MergePatch("""{"title":"Renamed by its lead"}"""))).ShouldBe(HttpStatusCode.OK);
        await (await lead.PutJsonAsync($"/api/v1/initiatives/{id}", $$"""{"directionId":1,"ownerId":{{me}},"title":"Replaced by its lead"}""")).ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task CannotDeleteEvenItsOwnersInitiativeButCanCancelIt()
    {
        var (lead, me) = await LeadAsync();
        var id = await InitiativeAsync(me);

        var problem = await (await lead.DeleteAsync($"/api/v1/initiatives/{id}")).ShouldBeProblem(HttpStatusCode.Forbidden);

        problem["type"]!.GetValue<string>().Should().Be("https://initiative-tracker.example/problems/forbidden");
        (await factory.ScalarAsync<long>("SELECT COUNT(*) FROM initiatives WHERE id = @id", new { id })).Should().Be(1);
        (await factory.ScalarAsync<long>("SELECT COUNT(*) FROM audit_entries WHERE entity_type = 'initiative' AND entity_id = @id AND action = 'delete'", new { id }))
            .Should().Be(0);
        var cancelled = await (await lead.PostJsonAsync($"/api/v1/initiatives/{id}/check-ins", """{"progress":0,"status":"cancelled","health":"off_track","note":"Dropped"}"""))
            .ShouldBe(HttpStatusCode.Created);
        cancelled["status"]!.GetValue<string>().Should().Be("cancelled");
    }

    [Fact]
    public async Task EditsAnInitiativeOfATaskForceItsOwnerLeads()
    {
        var (lead, me) = await LeadAsync();
        var colleague = await OwnerAsync();
        var taskForce = await TaskForceAsync(me);
        var id = await InitiativeAsync(colleague, taskForce);

        await (await lead.PatchAsync($"/api/v1/initiatives/{id}", MergePatch("""{"description":"Checked by the task force lead"}"""))).ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task CannotTouchSomeoneElsesInitiative()
    {
        var (lead, me) = await LeadAsync();
        var stranger = await OwnerAsync();
        var otherTaskForce = await TaskForceAsync(stranger);
        var id = await InitiativeAsync(stranger, otherTaskForce);

        var patch = await (await lead.PatchAsync($"/api/v1/initiatives/{id}", MergePatch("""{"title":"Hijacked"}"""))).ShouldBeProblem(HttpStatusCode.Forbidden);
        await (await lead.PutJsonAsync($"/api/v1/initiatives/{id}", $$"""{"directionId":1,"ownerId":{{stranger}},"title":"Hijacked"}""")).ShouldBeProblem(HttpStatusCode.Forbidden);
        await (await lead.DeleteAsync($"/api/v1/initiatives/{id}")).ShouldBeProblem(HttpStatusCode.Forbidden);

        patch["type"]!.GetValue<string>().Should().Be("https://initiative-tracker.example/problems/forbidden");
        patch["detail"]!.GetValue<string>().Should().Contain($"owner {me}").And.Contain($"owner {stranger}");
        (await factory.ScalarAsync<string>("SELECT title FROM initiatives WHERE id = @id", new { id })).Should().Be("Initiative of owner " + stranger);
    }

    [Fact]
    public async Task ChecksInAndMovesDeadlinesOnlyWithinItsScope()
    {
        var (lead, me) = await LeadAsync();
        var stranger = await OwnerAsync();
        var mine = await InitiativeAsync(me);
        var theirs = await InitiativeAsync(stranger, await TaskForceAsync(stranger));

        await (await lead.PostJsonAsync($"/api/v1/initiatives/{mine}/check-ins", """{"progress":40,"status":"in_progress","health":"on_track"}"""))
            .ShouldBe(HttpStatusCode.Created);
        await (await lead.PutJsonAsync($"/api/v1/initiatives/{mine}/deadline", """{"deadline":"2027-03-31","reason":"Partner asked for more time"}"""))
            .ShouldBe(HttpStatusCode.OK);

        await (await lead.PostJsonAsync($"/api/v1/initiatives/{theirs}/check-ins", """{"progress":90,"health":"on_track"}"""))
            .ShouldBeProblem(HttpStatusCode.Forbidden);
        await (await lead.PutJsonAsync($"/api/v1/initiatives/{theirs}/deadline", """{"deadline":"2027-03-31","reason":"Not mine to move"}"""))
            .ShouldBeProblem(HttpStatusCode.Forbidden);
        (await factory.ScalarAsync<long>("SELECT COUNT(*) FROM check_ins WHERE initiative_id = @theirs", new { theirs })).Should().Be(0);
        (await factory.ScalarAsync<long>("SELECT deadline_changes FROM initiatives WHERE id = @theirs", new { theirs })).Should().Be(0);
    }

    [Fact]
    public async Task ImportsOnlyIntoItsScopeAndWritesNothingOtherwise()
    {
        var (lead, me) = await LeadAsync();
        var stranger = await OwnerAsync();
        var before = await factory.ScalarAsync<long>("SELECT COUNT(*) FROM initiatives");

        await (await lead.PostJsonAsync("/api/v1/initiatives/import",
            $$"""[{"directionId":1,"ownerId":{{me}},"title":"Mine","deadline":"2026-12-31"},{"directionId":1,"ownerId":{{stranger}},"title":"Theirs","deadline":"2026-12-31"}]"""))
            .ShouldBeProblem(HttpStatusCode.Forbidden);
        (await factory.ScalarAsync<long>("SELECT COUNT(*) FROM initiatives")).Should().Be(before);

        await (await lead.PostJsonAsync("/api/v1/initiatives/import", $$"""[{"directionId":1,"ownerId":{{me}},"title":"Mine","deadline":"2026-12-31"}]"""))
            .ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task CannotCreateAnInitiativeForAnotherOwner()
    {
        var (lead, me) = await LeadAsync();
        var stranger = await OwnerAsync();
        var before = await factory.ScalarAsync<long>("SELECT COUNT(*) FROM initiatives");

        await (await lead.PostJsonAsync("/api/v1/initiatives", $$"""{"directionId":1,"ownerId":{{stranger}},"title":"For someone else","deadline":"2026-12-31"}"""))
            .ShouldBeProblem(HttpStatusCode.Forbidden);

        (await factory.ScalarAsync<long>("SELECT COUNT(*) FROM initiatives")).Should().Be(before);
        var myTaskForce = await TaskForceAsync(me);
        await (await lead.PostJsonAsync("/api/v1/initiatives", $$"""{"directionId":1,"ownerId":{{stranger}},"taskForceId":{{myTaskForce}},"title":"For my task force","deadline":"2026-12-31"}"""))
            .ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task CannotMoveItsInitiativeOutOfItsScope()
    {
        var (lead, me) = await LeadAsync();
        var stranger = await OwnerAsync();
        var id = await InitiativeAsync(me);

        await (await lead.PatchAsync($"/api/v1/initiatives/{id}", MergePatch($$"""{"ownerId":{{stranger}}}"""))).ShouldBeProblem(HttpStatusCode.Forbidden);
        await (await lead.PutJsonAsync($"/api/v1/initiatives/{id}", $$"""{"directionId":1,"ownerId":{{stranger}},"title":"Initiative of owner {{me}}"}""")).ShouldBeProblem(HttpStatusCode.Forbidden);

        (await factory.ScalarAsync<long>("SELECT owner_id FROM initiatives WHERE id = @id", new { id })).Should().Be(me);
    }

    [Fact]
    public async Task AdminsWriteAnyInitiative()
    {
        var stranger = await OwnerAsync();
        var id = await InitiativeAsync(stranger);
        var admin = await factory.ClientForAsync("admin");

        await (await admin.PatchAsync($"/api/v1/initiatives/{id}", MergePatch("""{"title":"Edited by an admin"}"""))).ShouldBe(HttpStatusCode.OK);
    }

    private async Task<(HttpClient Client, long OwnerId)> LeadAsync()
    {
        var owner = await OwnerAsync();
        return (await factory.ClientForAsync("lead", owner), owner);
    }

    private async Task<long> OwnerAsync() =>
        (await _admin.CreateAsync("/api/v1/owners", new { name = "Owner " + Guid.NewGuid().ToString("N")[..8] }))["id"]!.GetValue<long>();

    private async Task<long> TaskForceAsync(long leadId) =>
        (await _admin.CreateAsync("/api/v1/task-forces", new { name = "Task force " + Guid.NewGuid().ToString("N")[..8], leadId }))["id"]!.GetValue<long>();

    private async Task<long> InitiativeAsync(long ownerId, long? taskForceId = null)
    {
        var response = await _admin.PostAsJsonAsync("/api/v1/initiatives",
            new { directionId = 1, ownerId, taskForceId, title = "Initiative of owner " + ownerId, deadline = "2026-12-31" });
        return (await response.ShouldBe(HttpStatusCode.Created))["id"]!.GetValue<long>();
    }

    private static StringContent MergePatch(string json) => new(json, Encoding.UTF8, "application/merge-patch+json");
}
