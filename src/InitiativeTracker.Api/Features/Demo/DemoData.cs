using Dapper;
using InitiativeTracker.Api.Infrastructure;
using InitiativeTracker.Api.Infrastructure.Database;
using InitiativeTracker.Api.Infrastructure.Time;
using InitiativeTracker.Api.Infrastructure.Validation;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace InitiativeTracker.Api.Features.Demo;

/// <summary>
/// With <c>Tracker:DemoData=true</c>, fills an empty database (no owners, no initiatives) with a
/// realistic follow-up of the June 5 meeting, relative to today: owners, task forces for the work
/// areas the participants proposed, ~40 initiatives across the three directions with check-ins and
/// deadline moves, some done on time, some done late, some overdue, some at risk, so every report has
/// something to show on a fresh run. Deterministic: the same day gives the same data.
/// </summary>
internal sealed class DemoData(Db db, TrackerClock clock, IOptions<TrackerOptions> options, ILogger<DemoData> logger) : IHostedService
{
    private const string Actor = "demo-data";

    private static readonly (string Name, string Email, string Unit)[] s_owners =
    [
        ("Li Na", "li.na@uasr.example.edu", "School of Mechanical Engineering"),
        ("Zhang Wei", "zhang.wei@uasr.example.edu", "Office of International Cooperation"),
        ("Aigerim Bekova", "a.bekova@kaznu.example.kz", "Al-Farabi Kazakh National University"),
        ("Wang Fang", "wang.fang@uasr.example.edu", "School of Energy and Power Engineering"),
        ("Rustam Karimov", "r.karimov@tashkent.example.uz", "Tashkent State Technical University"),
        ("Chen Jie", "chen.jie@uasr.example.edu", "National Technology Transfer Center"),
        ("Nurlan Abdrakhmanov", "n.abdrakhmanov@bishkek.example.kg", "Kyrgyz State Technical University"),
        ("Zhao Min", "zhao.min@uasr.example.edu", "School of Humanities and Social Sciences"),
    ];

    private static readonly (string Name, string Mandate, int Lead)[] s_taskForces =
    [
        ("Industry–Education Integration Task Force", "Joint programs with enterprises along the Silk Road.", 0),
        ("Overseas Innovation Centers Task Force", "Base platforms and innovation centers in Central Asia.", 1),
        ("Overseas Talent Cultivation Task Force", "Degree and non-degree programs for overseas talent.", 2),
        ("Technology Transfer Task Force", "Transfer and commercialize scientific achievements.", 5),
        ("Cultural Exchange Task Force", "Cultural exchange cooperation with UASR members.", 7),
    ];

    private static readonly (int Direction, int TaskForce, string Title)[] s_initiatives =
    [
        (1, 1, "UASR innovation alliance secretariat in Almaty"),
        (1, 1, "Joint laboratory for clean energy with Kazakh partners"),
        (1, 3, "UASR technology transfer fund, first round"),
        (1, 0, "Silk Road industry needs survey"),
        (1, 1, "Overseas innovation center in Tashkent"),
        (1, 3, "Patent pool for UASR member universities"),
        (1, 2, "UASR doctoral innovation fellowship"),
        (1, 4, "UASR annual forum on cultural heritage"),
        (1, 0, "Capital matchmaking day for Silk Road start-ups"),
        (1, 1, "Digital platform for UASR research resources"),
        (1, 3, "Pilot incubator for cross-border start-ups"),
        (1, 2, "Innovation talent training camp"),
        (1, 0, "Align UASR roadmap with national strategies"),
        (2, 0, "Dual-degree program in mechanical engineering"),
        (2, 2, "Non-degree short courses for Central Asian engineers"),
        (2, 0, "Enterprise-sponsored master's track in energy"),
        (2, 3, "Technology licensing office for Central Asia"),
        (2, 0, "Industry professors program with overseas enterprises"),
        (2, 2, "Summer school on the Silk Road economy"),
        (2, 3, "Commercialize water-saving irrigation research"),
        (2, 1, "Joint engineering practice base in Bishkek"),
        (2, 2, "Online Chinese-language program for partner universities"),
        (2, 0, "Curriculum co-design with Silk Road industries"),
        (2, 3, "Dual-circulation technology showcase"),
        (2, 4, "Student exchange on cultural heritage conservation"),
        (2, 2, "Scholarships for overseas graduate students"),
        (2, 0, "Vocational training alliance with enterprises"),
        (3, 1, "Coordinating office for Central Asia cooperation"),
        (3, 4, "Cultural exchange week in Xi'an"),
        (3, 0, "Unified resource map of overseas partners"),
        (3, 3, "Annual execution review of specialized initiatives"),
        (3, 4, "Confucius Institute collaboration plan"),
        (3, 1, "Global-perspective strategy white paper"),
        (3, 2, "Overseas alumni network in Central Asia"),
        (3, 0, "Task-force coordination dashboard"),
        (3, 3, "Joint funding call with Central Asian ministries"),
        (3, 4, "Silk Road film and arts festival"),
        (3, 1, "Quarterly report to the university leadership"),
        (3, 2, "Visiting scholars program"),
        (3, 0, "Risk register for overseas projects"),
    ];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.DemoData)
        {
            return;
        }

        var seeded = await db.WriteAsync(async (connection, transaction) =>
        {
            var existing = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT (SELECT COUNT(*) FROM owners) + (SELECT COUNT(*) FROM initiatives);", transaction: transaction, cancellationToken: cancellationToken));
            if (existing > 0)
            {
                return false;
            }

            await SeedAsync(connection, transaction, cancellationToken);
            return true;
        }, cancellationToken);
        if (seeded)
        {
            logger.LogInformation("Filled the empty database with demo data ({Count} initiatives)", s_initiatives.Length);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task SeedAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken ct)
    {
        var now = clock.UtcNow;
        var today = clock.Today;
        var random = new Random(20230605);

        var ownerIds = new List<long>();
        foreach (var (name, email, unit) in s_owners)
        {
            ownerIds.Add(await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "INSERT INTO owners (name, email, email_key, unit, created_at, updated_at) VALUES (@name, @email, @EmailKey, @unit, @At, @At) RETURNING id;",
                new { name, email, EmailKey = Identity.EmailKey(email), unit, At = now.AddDays(-420) }, transaction, cancellationToken: ct)));
        }

        var taskForceIds = new List<long>();
        foreach (var (name, mandate, lead) in s_taskForces)
        {
            taskForceIds.Add(await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "INSERT INTO task_forces (name, name_key, mandate, lead_id, created_at, updated_at) VALUES (@name, @NameKey, @mandate, @LeadId, @At, @At) RETURNING id;",
                new { name, NameKey = Identity.Key(name), mandate, LeadId = ownerIds[lead], At = now.AddDays(-410) }, transaction, cancellationToken: ct)));
        }

        var directionIds = (await connection.QueryAsync<long>(new CommandDefinition(
            "SELECT id FROM directions WHERE meeting_id = 1 ORDER BY number;", transaction: transaction, cancellationToken: ct))).AsList();

        for (var i = 0; i < s_initiatives.Length; i++)
        {
            var (direction, taskForce, title) = s_initiatives[i];
            var plan = Plan.For(i % 8, today, random);
            var created = now.AddDays(-plan.AgeDays);
            var initiative = new Initiative(clock.Zone, connection, transaction, ct)
            {
                Id = await connection.ExecuteScalarAsync<long>(new CommandDefinition("""
                    INSERT INTO initiatives (direction_id, owner_id, task_force_id, title, description, start_date,
                                             deadline, original_deadline, created_at, updated_at)
                    VALUES (@DirectionId, @OwnerId, @TaskForceId, @title, @Description, @StartDate, @Deadline, @Deadline, @Created, @Created)
                    RETURNING id;
                    """, new
                {
                    DirectionId = directionIds[direction - 1],
                    OwnerId = ownerIds[(i * 3 + direction) % ownerIds.Count],
                    TaskForceId = taskForce == 0 && i % 2 == 0 ? (long?)null : taskForceIds[taskForce],
                    title,
                    Description = $"Follow-up of strategic direction {direction} of the June 5, 2023 meeting.",
                    StartDate = DateOnly.FromDateTime(created),
                    plan.Deadline,
                    Created = created,
                }, transaction, cancellationToken: ct)),
                Created = created,
            };
            await plan.PlayAsync(initiative, now);
        }
    }

    /// <summary>What happens to one demo initiative: its age, deadline, moves and check-ins.</summary>
    private sealed record Plan(int AgeDays, DateOnly Deadline, IReadOnlyList<Step> Steps)
    {
        public static Plan For(int kind, DateOnly today, Random random)
        {
            var age = random.Next(120, 400);
            var start = today.AddDays(-age);
            return kind switch
            {
                // Done on time.
                0 => new Plan(age, start.AddDays(age - 20), [new(10, "in_progress", 30, "on_track"), new(age / 2, "in_progress", 70, "on_track"), new(age - 25, "done", 100, "on_track")]),
                // Done late, after a deadline move: on time by the moved deadline, late by the original.
                1 => new Plan(age, start.AddDays(age - 60), [new(15, "in_progress", 20, "on_track"), new(age - 70, "move:+30", 0, ""), new(age - 35, "done", 100, "at_risk")]),
                // Done late, deadline never moved.
                2 => new Plan(age, start.AddDays(age - 50), [new(20, "in_progress", 40, "at_risk"), new(age - 30, "done", 100, "off_track")]),
                // Overdue, in progress, off track.
                3 => new Plan(age, today.AddDays(-random.Next(5, 60)), [new(10, "in_progress", 35, "at_risk"), new(age - 20, "in_progress", 55, "off_track")]),
                // Due within the next weeks, at risk.
                4 => new Plan(age, today.AddDays(random.Next(2, 20)), [new(12, "in_progress", 50, "on_track"), new(age - 3, "in_progress", 75, "at_risk")]),
                // Blocked and overdue, with a deadline move.
                5 => new Plan(age, today.AddDays(-random.Next(20, 90)), [new(8, "in_progress", 25, "on_track"), new(age / 2, "move:+45", 0, ""), new(age - 40, "blocked", 30, "off_track")]),
                // Planned, far ahead, never checked in (stale).
                6 => new Plan(age, today.AddDays(random.Next(60, 200)), []),
                // Cancelled.
                _ => new Plan(age, today.AddDays(random.Next(-30, 90)), [new(30, "in_progress", 10, "on_track"), new(age - 60, "cancelled", 10, "off_track")]),
            };
        }

        public async Task PlayAsync(Initiative initiative, DateTime now)
        {
            foreach (var step in Steps)
            {
                var at = initiative.Created.AddDays(step.Day).AddHours(3);
                if (at > now)
                {
                    continue;
                }

                if (step.Status.StartsWith("move:", StringComparison.Ordinal))
                {
                    await initiative.MoveDeadlineAsync(int.Parse(step.Status[5..], System.Globalization.CultureInfo.InvariantCulture), at);
                }
                else
                {
                    await initiative.CheckInAsync(step.Status, step.Progress, step.Health, at);
                }
            }
        }
    }

    private sealed record Step(int Day, string Status, int Progress, string Health);

    /// <summary>Writes one initiative's history the way the API would have.</summary>
    private sealed class Initiative(TimeZoneInfo zone, SqliteConnection connection, SqliteTransaction transaction, CancellationToken ct)
    {
        public required long Id { get; init; }
        public required DateTime Created { get; init; }

        public async Task CheckInAsync(string status, int progress, string health, DateTime at)
        {
            var completedOn = status == "done" ? DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(at, zone)) : (DateOnly?)null;
            await connection.ExecuteAsync(new CommandDefinition("""
                INSERT INTO check_ins (initiative_id, progress, status, previous_status, health, note, reported_by, reported_at, completed_on)
                SELECT id, @progress, @status, status, @health, @Note, @Actor, @at, @completedOn FROM initiatives WHERE id = @Id;
                UPDATE initiatives
                SET status = @status, progress = @progress, health = @health, completed_on = @completedOn,
                    last_check_in_at = @at, version = version + 1, updated_at = @at
                WHERE id = @Id;
                """, new { Id, progress, status, health, Note = $"Reported as {status.Replace('_', ' ')}.", Actor, at, completedOn },
                transaction, cancellationToken: ct));
        }

        public async Task MoveDeadlineAsync(int days, DateTime at)
        {
            await connection.ExecuteAsync(new CommandDefinition("""
                INSERT INTO deadline_changes (initiative_id, from_deadline, to_deadline, reason, changed_by, changed_at)
                SELECT id, deadline, date(deadline, @Shift), 'Partner availability moved the schedule.', @Actor, @at FROM initiatives WHERE id = @Id;
                UPDATE initiatives
                SET deadline = date(deadline, @Shift), deadline_changes = deadline_changes + 1, version = version + 1, updated_at = @at
                WHERE id = @Id;
                """, new { Id, Shift = $"+{days} days", Actor, at }, transaction, cancellationToken: ct));
        }
    }
}
