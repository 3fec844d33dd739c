using System.Net;
using System.Net.Http.Json;
using InitiativeTracker.Api.Tests.Infrastructure;

namespace InitiativeTracker.Api.Tests.Features.Reports;

/// <summary>
/// One hand-built history, played through the API with the fake clock (Asia/Shanghai is UTC+8):
///
/// 2026-03-10 created: I1 (owner A, task force TF led by A, direction 1, due 03-12),
///            I2 (owner B, direction 2, due 03-15), I3 (owner A, direction 3, due 04-30),
///            I4 (owner B, TF, direction 1, due 03-20); I1 checked in: in_progress 30 on_track.
/// 2026-03-14 I2 checked in: in_progress 50 at_risk; I4's deadline moved 03-20 → 03-25.
/// 2026-03-18 I2 done (3 days late).
/// 2026-03-22 I4 done (on time by its moved deadline, late by its original one).
/// now        2026-03-31T16:30Z = 2026-04-01 00:30 in Shanghai, still 2026-03-31 in UTC.
/// </summary>
public sealed class ReportScenario : TrackerFactory, IAsyncLifetime
{
    public long OwnerA { get; private set; }
    public long OwnerB { get; private set; }
    public long TaskForce { get; private set; }
    public long I1 { get; private set; }
    public long I2 { get; private set; }
    public long I3 { get; private set; }
    public long I4 { get; private set; }

    public async Task InitializeAsync()
    {
        var client = Admin();
        OwnerA = Id(await client.CreateAsync("/api/v1/owners", new { name = "Ahmed Aliyev", email = "ahmed@uasr.example.edu", unit = "Almaty office" }));
        OwnerB = Id(await client.CreateAsync("/api/v1/owners", new { name = "Bai Lan", email = "bai@uasr.example.edu" }));
        TaskForce = Id(await client.CreateAsync("/api/v1/task-forces", new { name = "Overseas Innovation Centers", leadId = OwnerA }));
        I1 = Id(await client.CreateAsync("/api/v1/initiatives", new { directionId = 1, ownerId = OwnerA, taskForceId = TaskForce, title = "Innovation center, Almaty", deadline = "2026-03-12" }));
        I2 = Id(await client.CreateAsync("/api/v1/initiatives", new { directionId = 2, ownerId = OwnerB, title = "Dual degree, \"energy\", phase 1", deadline = "2026-03-15" }));
        I3 = Id(await client.CreateAsync("/api/v1/initiatives", new { directionId = 3, ownerId = OwnerA, title = "Strategy white paper", deadline = "2026-04-30" }));
        I4 = Id(await client.CreateAsync("/api/v1/initiatives", new { directionId = 1, ownerId = OwnerB, taskForceId = TaskForce, title = "Technology transfer office", deadline = "2026-03-20" }));
        await CheckIn(client, I1, new { progress = 30, status = "in_progress", health = "on_track" });

        Clock.SetUtcNow(new DateTimeOffset(2026, 3, 14, 2, 0, 0, TimeSpan.Zero));
        await CheckIn(client, I2, new { progress = 50, status = "in_progress", health = "at_risk" });
        (await client.PutAsJsonAsync($"/api/v1/initiatives/{I4}/deadline", new { deadline = "2026-03-25", reason = "Partner university moved its board meeting" }))
            .StatusCode.Should().Be(HttpStatusCode.OK);

        Clock.SetUtcNow(new DateTimeOffset(2026, 3, 18, 2, 0, 0, TimeSpan.Zero));
        await CheckIn(client, I2, new { progress = 100, status = "done", health = "on_track" });

        Clock.SetUtcNow(new DateTimeOffset(2026, 3, 22, 2, 0, 0, TimeSpan.Zero));
        await CheckIn(client, I4, new { progress = 10, status = "in_progress", health = "on_track" });
        await CheckIn(client, I4, new { progress = 100, status = "done", health = "on_track" });

        Clock.SetUtcNow(new DateTimeOffset(2026, 3, 31, 16, 30, 0, TimeSpan.Zero));
    }

    Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;

    private static long Id(System.Text.Json.Nodes.JsonNode node) => node["id"]!.GetValue<long>();

    private static async Task CheckIn(HttpClient client, long initiative, object body) =>
        (await client.PostAsJsonAsync($"/api/v1/initiatives/{initiative}/check-ins", body)).StatusCode.Should().Be(HttpStatusCode.Created);
}
