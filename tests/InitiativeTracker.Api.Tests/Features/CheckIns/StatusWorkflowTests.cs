using System.Net;
using InitiativeTracker.Api.Tests.Infrastructure;

namespace InitiativeTracker.Api.Tests.Features.CheckIns;

/// <summary>Every pair of statuses against the spec's table, written out here independently of the code.</summary>
public sealed class StatusWorkflowTests(TrackerFactory factory) : IClassFixture<TrackerFactory>
{
    private static readonly string[] s_statuses = ["planned", "in_progress", "blocked", "done", "cancelled"];

    /// <summary>planned → in_progress → done; open ↔ blocked; open → cancelled; done → in_progress; an open status may stay.</summary>
    private static readonly Dictionary<string, string[]> s_allowed = new()
    {
        ["planned"] = ["planned", "in_progress", "blocked", "cancelled"],
        ["in_progress"] = ["in_progress", "done", "blocked", "cancelled"],
        ["blocked"] = ["blocked", "planned", "in_progress", "cancelled"],
        ["done"] = ["in_progress"],
        ["cancelled"] = [],
    };

    private readonly HttpClient _client = factory.Admin();

    public static TheoryData<string, string> AllowedTransitions() => Pairs(allowed: true);

    public static TheoryData<string, string> ForbiddenTransitions() => Pairs(allowed: false);

    [Theory]
    [MemberData(nameof(AllowedTransitions))]
    public async Task AllowsTheTransitionsOfTheTable(string from, string to)
    {
        var id = await _client.NewInitiativeInAsync(from);

        var body = await (await _client.CheckInAsync(id, new { progress = 60, status = to, health = "on_track", note = "Moving on" }))
            .ShouldBe(HttpStatusCode.Created);

        body["previousStatus"]!.GetValue<string>().Should().Be(from);
        body["status"]!.GetValue<string>().Should().Be(to);
        (await _client.InitiativeAsync(id))["status"]!.GetValue<string>().Should().Be(to);
    }

    [Theory]
    [MemberData(nameof(ForbiddenTransitions))]
    public async Task RejectsEveryOtherTransitionWithConflictNamingTheAllowedOnes(string from, string to)
    {
        var id = await _client.NewInitiativeInAsync(from);
        var before = await factory.FootprintAsync(id);

        var problem = await (await _client.CheckInAsync(id, new { progress = 60, status = to, health = "on_track", note = "Moving on" }))
            .ShouldBeProblem(HttpStatusCode.Conflict);

        problem["type"]!.GetValue<string>().Should().Be("https://initiative-tracker.example/problems/invalid-transition");
        problem["allowed"]!.AsArray().Select(s => s!.GetValue<string>()).Should().BeEquivalentTo(s_allowed[from]);
        foreach (var allowed in s_allowed[from])
        {
            problem["detail"]!.GetValue<string>().Should().Contain(allowed);
        }

        (await factory.FootprintAsync(id)).Should().Be(before);
    }

    [Fact]
    public async Task ReturnsConflictWhenMovingFromPlannedToDone()
    {
        var id = await _client.NewInitiativeAsync();

        var problem = await (await _client.CheckInAsync(id, new { progress = 100, status = "done", health = "on_track" }))
            .ShouldBeProblem(HttpStatusCode.Conflict);

        problem["detail"]!.GetValue<string>().Should()
            .Be("An initiative that is 'planned' cannot become 'done'. Allowed: planned, in_progress, blocked, cancelled.");
    }

    private static TheoryData<string, string> Pairs(bool allowed)
    {
        var data = new TheoryData<string, string>();
        foreach (var from in s_statuses)
        {
            foreach (var to in s_statuses.Where(to => s_allowed[from].Contains(to) == allowed))
            {
                data.Add(from, to);
            }
        }

        return data;
    }
}
