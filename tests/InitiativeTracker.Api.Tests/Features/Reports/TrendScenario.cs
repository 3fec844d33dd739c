using System.Net;
using System.Net.Http.Json;
using InitiativeTracker.Api.Tests.Infrastructure;

namespace InitiativeTracker.Api.Tests.Features.Reports;

/// <summary>
/// A generated history, played through the API with the fake clock over 70 days from 2026-03-10:
/// initiatives created over time in every direction, by three owners, with and without two task forces;
/// at random hours (so across Shanghai's midnight) random check-ins (progress, health, every status
/// transition: completions, blocks, cancellations, reopenings; an invalid one is a 409 that changes
/// nothing) and deadline moves. The seed is fixed, so a failure is reproducible.
/// </summary>
public sealed class TrendScenario : TrackerFactory, IAsyncLifetime
{
    private static readonly string[] s_statuses = ["planned", "in_progress", "blocked", "done", "cancelled"];
    private static readonly string[] s_health = ["on_track", "at_risk", "off_track"];

    public List<long> Owners { get; } = [];
    public List<long> TaskForces { get; } = [];

    /// <summary>The fake clock's final instant: 2026-05-19 05:00 in Shanghai.</summary>
    public static readonly DateTimeOffset End = new(2026, 5, 18, 21, 0, 0, TimeSpan.Zero);

    public async Task InitializeAsync()
    {
        var random = new Random(20260310);
        var client = Admin();
        foreach (var name in new[] { "Ahmed Aliyev", "Bai Lan", "Chen Wei" })
        {
            Owners.Add(Id(await client.CreateAsync("/api/v1/owners", new { name })));
        }

        TaskForces.Add(Id(await client.CreateAsync("/api/v1/task-forces", new { name = "Overseas Innovation Centers", leadId = Owners[0] })));
        TaskForces.Add(Id(await client.CreateAsync("/api/v1/task-forces", new { name = "Joint Degrees", leadId = Owners[1] })));

        var initiatives = new List<long>();
        var at = Start;
        while (at < End.AddHours(-30))
        {
            at = at.AddMinutes(random.Next(60, 60 * 16));
            Clock.SetUtcNow(at);
            var today = DateOnly.FromDateTime(at.UtcDateTime.AddHours(8));
            var roll = random.Next(100);
            if (initiatives.Count < 4 || roll < 12)
            {
                long? taskForce = random.Next(3) == 0 ? null : TaskForces[random.Next(TaskForces.Count)];
                initiatives.Add(Id(await client.CreateAsync("/api/v1/initiatives", new
                {
                    directionId = random.Next(1, 4),
                    ownerId = Owners[random.Next(Owners.Count)],
                    taskForceId = taskForce,
                    title = $"Initiative {initiatives.Count + 1}",
                    deadline = Date(today.AddDays(random.Next(1, 30))),
                })));
            }
            else if (roll < 85)
            {
                var status = s_statuses[random.Next(s_statuses.Length)];
                var response = await client.PostAsJsonAsync($"/api/v1/initiatives/{initiatives[random.Next(initiatives.Count)]}/check-ins", new
                {
                    progress = random.Next(0, 101),
                    status,
                    health = s_health[random.Next(s_health.Length)],
                    note = "Generated",
                });
                response.StatusCode.Should().BeOneOf(HttpStatusCode.Created, HttpStatusCode.Conflict);
            }
            else
            {
                var response = await client.PutAsJsonAsync($"/api/v1/initiatives/{initiatives[random.Next(initiatives.Count)]}/deadline", new
                {
                    deadline = Date(today.AddDays(random.Next(1, 40))),
                    reason = "Generated",
                });
                response.StatusCode.Should().BeOneOf(HttpStatusCode.OK, HttpStatusCode.Conflict);
            }
        }

        Clock.SetUtcNow(End);
    }

    Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;

    public static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private static long Id(System.Text.Json.Nodes.JsonNode node) => node["id"]!.GetValue<long>();
}
