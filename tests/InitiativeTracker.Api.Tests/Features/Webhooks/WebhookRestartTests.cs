using Dapper;
using InitiativeTracker.Api.Infrastructure.Database;
using InitiativeTracker.Api.Tests.Features.CheckIns;
using InitiativeTracker.Api.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace InitiativeTracker.Api.Tests.Features.Webhooks;

/// <summary>Deliveries are rows: what one host committed and did not send, the next host on the same database sends.</summary>
public sealed class WebhookRestartTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), "initiative-tracker-tests", $"{Guid.NewGuid():N}.db");
    private readonly WebhookReceiver _receiver = new();

    [Fact]
    public async Task ANewHostSendsWhatTheLastOneCommittedButDidNotSendAndFiresNothingTwice()
    {
        var inbox = _receiver.NewInbox();
        long initiative;
        // The first host has no dispatcher running, as after a crash right after the commits: the deliveries stay queued.
        using (var first = new SameFileFactory(_file, _receiver, backgroundLoops: false))
        {
            var client = first.Admin();
            await client.CreateAsync("/api/v1/webhooks", new { url = inbox.Url, events = new[] { "initiative.created", "initiative.overdue" } });
            initiative = await client.NewInitiativeAsync(deadline: "2026-03-01");
            await first.ScanAsync();
        }

        var queued = await QueuedAsync();
        queued.Should().HaveCount(2);
        inbox.Received.Should().BeEmpty();

        using var second = new SameFileFactory(_file, _receiver, backgroundLoops: true);
        _ = second.Services; // start the host: its dispatcher sends on its own
        await inbox.WaitForArrivalAsync();
        await inbox.WaitForArrivalAsync();
        await second.ScanAsync();
        await second.DispatchAsync();

        inbox.Received.Select(r => (r.Event, r.DeliveryId)).Should().BeEquivalentTo(queued);
        inbox.Received.Should().OnlyContain(r => r.InitiativeId == initiative);
        (await QueuedAsync()).Should().BeEmpty();
    }

    public void Dispose()
    {
        _receiver.Dispose();
        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { _file, _file + "-wal", _file + "-shm", _file + DatabaseLock.Suffix })
        {
            File.Delete(file);
        }
    }

    private async Task<List<(string Event, string DeliveryId)>> QueuedAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={_file};Pooling=False");
        return (await connection.QueryAsync<(string, string)>(
            "SELECT event, delivery_id FROM webhook_deliveries WHERE status = 'pending' ORDER BY id;")).AsList();
    }

    private sealed class SameFileFactory(string file, WebhookReceiver receiver, bool backgroundLoops)
        : WebhookFactory(receiver, ownsReceiver: false, backgroundLoops)
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
        {
            ["ConnectionStrings:Tracker"] = $"Data Source={file}",
        };
    }
}
