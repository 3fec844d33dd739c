using System.Net.Http.Json;
using InitiativeTracker.Api.Infrastructure.Database;
using InitiativeTracker.Api.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace InitiativeTracker.Api.Tests.Email;

/// <summary>
/// Two weeks of a fake clock, day by day: which emails went out on which day, and that a restart on the
/// same database (a new host, as after a crash between deciding and sending) neither repeats nor loses one.
/// </summary>
[Trait("Category", "Email")]
public sealed class EmailScheduleTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), "initiative-tracker-tests", $"{Guid.NewGuid():N}.db");
    private readonly SmtpSink _sink = new();

    [Fact]
    public async Task TwoWeeksOfRemindersAndDigestsEachOnItsDayAcrossARestart()
    {
        var first = new EmailFactory(_sink.Port, _file);
        var client = first.Admin();
        var owner = await client.NewOwnerAsync("张伟", "zhang.wei@example.edu");
        // Due Tuesday 03-17 (7 days after the start) and Friday 03-13.
        await client.NewInitiativeAsync(owner, "数字校园", "2026-03-17");
        await client.NewInitiativeAsync(owner, "丝路创新中心", "2026-03-13");
        await client.CreateAsync("/api/v1/email-subscriptions", new { email = "coordination@example.edu", name = "协调办公室" });

        var sent = new Dictionary<DateOnly, List<string>>();
        var factory = first;
        for (var day = new DateOnly(2026, 3, 10); day <= new DateOnly(2026, 3, 24); day = day.AddDays(1))
        {
            if (day > new DateOnly(2026, 3, 10))
            {
                // Before SendAt nothing is decided.
                factory.At(day, new TimeOnly(8, 0));
                await factory.RunAsync();
                await factory.DispatchAsync();
                _sink.Received.Should().BeEmpty("nothing goes out before 09:00 on {0}", day);
            }

            factory.At(day, new TimeOnly(10, 30));
            await factory.RunAsync();
            if (day == new DateOnly(2026, 3, 16))
            {
                // The host stops after deciding Monday's emails and before sending them; a new one takes over.
                factory.Dispose();
                factory = new EmailFactory(_sink.Port, _file);
                factory.At(day, new TimeOnly(10, 45));
                _ = factory.Services;
                await factory.RunAsync();
            }

            await factory.DispatchAsync();
            // Later the same day: nothing more.
            factory.At(day, new TimeOnly(17, 0));
            await factory.RunAsync();
            await factory.DispatchAsync();
            var today = _sink.Take();
            if (today.Count > 0)
            {
                sent[day] = [.. today.Select(Describe).Order()];
            }
        }

        factory.Dispose();
        sent.Should().BeEquivalentTo(new Dictionary<DateOnly, List<string>>
        {
            [new(2026, 3, 10)] = ["zhang.wei@example.edu: Due soon=数字校园"],
            [new(2026, 3, 12)] = ["zhang.wei@example.edu: Due soon=丝路创新中心"],
            [new(2026, 3, 14)] = ["zhang.wei@example.edu: Overdue since today=丝路创新中心"],
            [new(2026, 3, 16)] =
            [
                "coordination@example.edu: The 50 most overdue=丝路创新中心; Due in the next 14 days=数字校园; Waiting for a check-in=",
                "zhang.wei@example.edu: Overdue=丝路创新中心; Due soon=数字校园",
            ],
            [new(2026, 3, 18)] = ["zhang.wei@example.edu: Overdue since today=数字校园"],
            [new(2026, 3, 23)] =
            [
                "coordination@example.edu: The 50 most overdue=丝路创新中心,数字校园; Due in the next 14 days=; Waiting for a check-in=",
                "zhang.wei@example.edu: Overdue=丝路创新中心,数字校园",
            ],
        }, o => o.WithStrictOrdering());

        // Each decision is one row, sent once: six reminders and two digests.
        await using var connection = new SqliteConnection($"Data Source={_file};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT kind || ' ' || period || ' ' || status || ' ' || attempts FROM email_outbox ORDER BY period, kind";
        List<string> rows = [];
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                rows.Add(reader.GetString(0));
            }
        }

        rows.Should().Equal(
            "reminder 2026-03-10 sent 1", "reminder 2026-03-12 sent 1", "reminder 2026-03-14 sent 1",
            "digest 2026-03-16 sent 1", "reminder 2026-03-16 sent 1", "reminder 2026-03-18 sent 1",
            "digest 2026-03-23 sent 1", "reminder 2026-03-23 sent 1");
    }

    [Fact]
    public async Task SentAndFailedEmailsOlderThanRetentionDaysLeaveTheOutboxWithTheDaysRun()
    {
        using var sink = new SmtpSink();
        using var factory = new EmailFactory(sink.Port);
        var client = factory.Admin();
        var owner = await client.NewOwnerAsync("张伟", "zhang.wei@example.edu");
        await client.NewInitiativeAsync(owner, "数字校园", "2026-03-17");
        await factory.RunAsync();
        await factory.DispatchAsync();
        sink.Behaviour = SinkBehaviour.Refuse;
        await client.PostAsJsonAsync("/api/v1/email/test", new { email = "ops@example.edu" });
        (await factory.DispatchAsync()).Should().Be(1);
        (await client.OutboxAsync()).Select(e => e!["status"]!.GetValue<string>()).Should().Equal("pending", "sent");

        // 91 days later, at the day's run: the sent reminder of 03-10 goes; the test message still pending (its retry not yet
        // made) stays; the day's own reminder (the initiative is stale by now) is queued.
        factory.At(new DateOnly(2026, 6, 9), new TimeOnly(9, 30));
        await factory.RunAsync();
        (await client.OutboxAsync()).Select(e => $"{e!["kind"]} {e["period"]}").Should().Equal("reminder 2026-06-09", "test ");
        (await factory.ScalarAsync<long>("SELECT COUNT(*) FROM email_runs WHERE period < '2026-03-11'")).Should().Be(0);
    }

    public void Dispose()
    {
        _sink.Dispose();
        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { _file, _file + "-wal", _file + "-shm", _file + DatabaseLock.Suffix })
        {
            File.Delete(file);
        }
    }

    private static string Describe(MimeKit.MimeMessage message) =>
        $"{message.To.Mailboxes.Single().Address}: {string.Join("; ", message.Sections().Select(s => $"{s.Key}={string.Join(",", s.Value)}"))}";
}
