using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace InitiativeTracker.Benchmarks;

/// <summary>
/// Fills a migrated tracker database with a large, plausible data set: owners, task forces, initiatives
/// over the three seeded directions (a share of them overdue), and check-ins spread over each
/// initiative's life, plus some deadline moves. Rows are written the way the API stores them.
/// </summary>
internal static class DataGenerator
{
    public static async Task RunAsync(string databaseFile, int initiatives, int checkIns, DateOnly today)
    {
        var clock = Stopwatch.StartNew();
        var random = new Random(42);
        await using var connection = new SqliteConnection($"Data Source={databaseFile};Pooling=False");
        await connection.OpenAsync();
        await Execute(connection, "PRAGMA journal_mode = WAL; PRAGMA synchronous = OFF; PRAGMA foreign_keys = ON;");

        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
        var owners = Math.Max(10, initiatives / 50);
        var taskForces = Math.Max(5, initiatives / 500);
        var now = today.ToDateTime(new TimeOnly(2, 0), DateTimeKind.Utc);
        var stamp = Stamp(now.AddDays(-800));

        using (var insert = Command(connection, transaction,
            "INSERT INTO owners (name, email, unit, created_at, updated_at) VALUES ($name, $email, $unit, $at, $at);", "$name", "$email", "$unit", "$at"))
        {
            for (var i = 1; i <= owners; i++)
            {
                await Run(insert, $"Owner {i}", $"owner{i}@bench.example.edu", $"Unit {i % 40}", stamp);
            }
        }

        using (var insert = Command(connection, transaction,
            "INSERT INTO task_forces (name, mandate, lead_id, created_at, updated_at) VALUES ($name, $mandate, $lead, $at, $at);", "$name", "$mandate", "$lead", "$at"))
        {
            for (var i = 1; i <= taskForces; i++)
            {
                await Run(insert, $"Task force {i}", "Benchmark mandate", (long)random.Next(1, owners + 1), stamp);
            }
        }

        string[] open = ["planned", "in_progress", "blocked"];
        string[] healths = ["on_track", "at_risk", "off_track"];
        var checkInsPerInitiative = (double)checkIns / initiatives;
        var written = 0;
        using var initiative = Command(connection, transaction, """
            INSERT INTO initiatives (direction_id, owner_id, task_force_id, title, description, start_date, deadline, original_deadline,
                                     status, progress, health, completed_on, last_check_in_at, deadline_changes, created_at, updated_at)
            VALUES ($direction, $owner, $taskForce, $title, $description, $start, $deadline, $original,
                    $status, $progress, $health, $completedOn, $lastCheckIn, $moves, $created, $updated)
            RETURNING id;
            """, "$direction", "$owner", "$taskForce", "$title", "$description", "$start", "$deadline", "$original",
            "$status", "$progress", "$health", "$completedOn", "$lastCheckIn", "$moves", "$created", "$updated");
        using var checkIn = Command(connection, transaction, """
            INSERT INTO check_ins (initiative_id, progress, status, previous_status, health, note, reported_by, reported_at, completed_on)
            VALUES ($id, $progress, $status, $previous, $health, $note, 'generator', $at, $completedOn);
            """, "$id", "$progress", "$status", "$previous", "$health", "$note", "$at", "$completedOn");
        using var move = Command(connection, transaction, """
            INSERT INTO deadline_changes (initiative_id, from_deadline, to_deadline, reason, changed_by, changed_at)
            VALUES ($id, $from, $to, 'Rescheduled with partners', 'generator', $at);
            """, "$id", "$from", "$to", "$at");

        for (var i = 1; i <= initiatives; i++)
        {
            var createdDaysAgo = random.Next(30, 720);
            var created = now.AddDays(-createdDaysAgo).AddMinutes(random.Next(0, 1440));
            var original = today.AddDays(-createdDaysAgo + random.Next(30, 540));
            var moved = random.NextDouble() < 0.15;
            var deadline = moved ? original.AddDays(random.Next(10, 120)) : original;
            var count = (int)Math.Round(checkInsPerInitiative * (0.5 + random.NextDouble()));
            if (written + count > checkIns || i == initiatives)
            {
                count = Math.Max(0, Math.Min(count, checkIns - written));
                if (i == initiatives)
                {
                    count = checkIns - written;
                }
            }

            var roll = random.NextDouble();
            var status = roll < 0.35 ? "done" : roll < 0.40 ? "cancelled" : open[random.Next(open.Length)];
            var health = healths[random.Next(healths.Length)];
            var progress = status == "done" ? 100 : random.Next(0, 95);
            var span = Math.Max(1, (now - created).TotalMinutes);
            var lastAt = count == 0 ? (DateTime?)null : created.AddMinutes(span * (count / (count + 1.0)));
            DateOnly? completedOn = status == "done" && lastAt is { } l ? DateOnly.FromDateTime(l.AddHours(8)) : null;
            if (status == "done" && completedOn is null)
            {
                status = "in_progress";
                progress = 50;
            }

            var id = (long)(await RunScalar(initiative, 1 + (i % 3), (long)random.Next(1, owners + 1),
                random.NextDouble() < 0.7 ? random.Next(1, taskForces + 1) : null,
                $"Initiative {i}: {Topic(random)}", "Generated for benchmarks", Date(today.AddDays(-createdDaysAgo)),
                Date(deadline), Date(original), status, progress, health, completedOn is { } c ? Date(c) : null,
                lastAt is { } at ? Stamp(at) : null, moved ? 1 : 0, Stamp(created), Stamp(lastAt ?? created)))!;

            var previous = "planned";
            for (var k = 1; k <= count; k++)
            {
                var last = k == count;
                var kStatus = last ? status : "in_progress";
                var when = created.AddMinutes(span * (k / (count + 1.0)));
                await Run(checkIn, id, last ? progress : Math.Min(95, k * 100 / (count + 1)), kStatus, previous, last ? health : "on_track",
                    k % 3 == 0 ? "Progress as planned." : null, Stamp(when), last && kStatus == "done" ? Date(completedOn!.Value) : null);
                previous = kStatus;
            }

            written += count;
            if (moved)
            {
                await Run(move, id, Date(original), Date(deadline), Stamp(created.AddDays(10)));
            }
        }

        await transaction.CommitAsync();
        await Execute(connection, "ANALYZE; PRAGMA wal_checkpoint(TRUNCATE);");
        Console.WriteLine($"generated {owners} owners, {taskForces} task forces, {initiatives} initiatives, {written} check-ins in {clock.Elapsed.TotalSeconds:F1} s");
    }

    private static string Topic(Random random) =>
        new[] { "industry–education integration", "overseas innovation center", "talent cultivation", "technology transfer", "cultural exchange" }[random.Next(5)];

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Stamp(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction transaction, string sql, params string[] names)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var name in names)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        return command;
    }

    private static async Task Run(SqliteCommand command, params object?[] values)
    {
        Bind(command, values);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<object?> RunScalar(SqliteCommand command, params object?[] values)
    {
        Bind(command, values);
        return await command.ExecuteScalarAsync();
    }

    private static void Bind(SqliteCommand command, object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }
    }

    private static async Task Execute(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
