using System.Net;
using InitiativeTracker.Api.Tests.Infrastructure;

namespace InitiativeTracker.Api.Tests.Features.CheckIns;

/// <summary>
/// A check-in is one transaction: the check-in row, the initiative's new state and both audit entries
/// land together or not at all. A trigger makes the last statement (the initiative's audit entry) fail,
/// after the check-in row and the state change were already written. This class has its own database.
/// </summary>
public sealed class CheckInAtomicityTests(TrackerFactory factory) : IClassFixture<TrackerFactory>
{
    private readonly HttpClient _client = factory.Admin();

    [Fact]
    public async Task AFailureAfterTheCheckInRowRollsBackEverything()
    {
        var id = await _client.NewInitiativeAsync();
        await factory.ScalarAsync<long>($"""
            CREATE TRIGGER fail_initiative_audit BEFORE INSERT ON audit_entries
            WHEN NEW.entity_type = 'initiative' AND NEW.entity_id = {id}
            BEGIN SELECT RAISE(ABORT, 'simulated failure'); END;
            SELECT 1;
            """);
        var before = await factory.FootprintAsync(id);

        var response = await _client.CheckInAsync(id, new { progress = 40, status = "in_progress", health = "at_risk" });

        var problem = await response.ShouldBeProblem(HttpStatusCode.InternalServerError);
        problem.ToJsonString().Should().NotContain("simulated failure").And.NotContain("INSERT");
        (await factory.FootprintAsync(id)).Should().Be(before);
        (await factory.ScalarAsync<long>("SELECT COUNT(*) FROM check_ins")).Should().Be(0);
        (await factory.ScalarAsync<long>("SELECT COUNT(*) FROM audit_entries WHERE entity_type = 'check_in'")).Should().Be(0);
    }

    [Fact]
    public async Task AFailedMoveOfTheDeadlineLeavesNoHistory()
    {
        var id = await _client.NewInitiativeAsync();
        await factory.ScalarAsync<long>($"""
            CREATE TRIGGER fail_deadline_audit BEFORE INSERT ON audit_entries
            WHEN NEW.entity_type = 'initiative' AND NEW.entity_id = {id}
            BEGIN SELECT RAISE(ABORT, 'simulated failure'); END;
            SELECT 1;
            """);
        var before = await factory.FootprintAsync(id);

        var response = await _client.PutJsonAsync($"/api/v1/initiatives/{id}/deadline", """{"deadline":"2026-09-30","reason":"Visa delays"}""");

        await response.ShouldBeProblem(HttpStatusCode.InternalServerError);
        (await factory.FootprintAsync(id)).Should().Be(before);
    }
}
