using System.Diagnostics.Metrics;
using Dapper;
using InitiativeTracker.Api.Infrastructure.Database;
using InitiativeTracker.Api.Infrastructure.Time;
using Microsoft.Data.Sqlite;

namespace InitiativeTracker.Api.Features.Metrics;

/// <summary>
/// The tracker's own gauges, read when they are collected (a scrape of <c>/metrics</c>, an OTLP export),
/// each from what already keeps it cheap: open and overdue initiatives from <c>open_deadline_counts</c>
/// (a sum over directions x days), the webhook and email outboxes from their partial indexes of pending rows, the
/// WAL's size from the file, the last backup from <c>backup_runs</c> (written by the <c>backup</c> verb once
/// its copy passed the integrity check). A gauge that cannot be read right now (the database busy)
/// reports nothing rather than a made-up zero; the time since the last backup reports nothing until there was one.
/// </summary>
internal sealed class TrackerGauges
{
    private const string OpenSql = "SELECT COALESCE(SUM(n), 0) FROM open_deadline_counts;";
    private const string OverdueSql = "SELECT COALESCE(SUM(n), 0) FROM open_deadline_counts WHERE deadline < @today;";
    // Table names are constants of this class, never input.
    private const string BacklogSql = "SELECT COUNT(*) FROM {0} WHERE status = 'pending';";
    private const string OldestPendingSql = "SELECT MIN(created_at) FROM {0} WHERE status = 'pending';";
    private const string LastBackupSql = "SELECT MAX(completed_at) FROM backup_runs;";

    private readonly Db _db;
    private readonly TrackerClock _clock;

    public TrackerGauges(IMeterFactory meters, Db db, TrackerClock clock)
    {
        _db = db;
        _clock = clock;
        var meter = meters.Create(WriteGateMetrics.MeterName);
        meter.CreateObservableGauge("tracker.initiatives.open", () => Read(c => (long?)c.ExecuteScalar<long>(OpenSql)),
            "{initiative}", "Initiatives in an open status (planned, in progress, blocked).");
        meter.CreateObservableGauge("tracker.initiatives.overdue", () => Read(c => (long?)c.ExecuteScalar<long>(OverdueSql, new { today = _clock.Today })),
            "{initiative}", "Open initiatives whose deadline is before today (in Tracker:TimeZone).");
        Outbox(meter, "webhooks", "webhook_deliveries", "{delivery}", "webhook deliveries");
        Outbox(meter, "email", "email_outbox", "{email}", "emails");
        meter.CreateObservableGauge("tracker.db.wal.size", WalSize, "By", "Size of the database's write-ahead log (<database>-wal).");
        meter.CreateObservableGauge("tracker.backup.age", BackupAge, "s", "Time since the last successful backup (the backup verb); absent until there was one.");
    }

    /// <summary>An outbox's backlog (rows pending: not yet sent or given up) and the age of its oldest, from its partial index of pending rows.</summary>
    private void Outbox(Meter meter, string name, string table, string unit, string what)
    {
        var backlog = string.Format(System.Globalization.CultureInfo.InvariantCulture, BacklogSql, table);
        var oldest = string.Format(System.Globalization.CultureInfo.InvariantCulture, OldestPendingSql, table);
        meter.CreateObservableGauge($"tracker.{name}.outbox.backlog", () => Read(c => (long?)c.ExecuteScalar<long>(backlog)),
            unit, $"The {what} not yet sent or given up.");
        meter.CreateObservableGauge($"tracker.{name}.outbox.oldest_age", () => Read(c =>
                (double?)(c.ExecuteScalar<DateTime?>(oldest) is { } at ? (_clock.UtcNow - at).TotalSeconds : 0d)),
            "s", $"Age of the oldest of the {what} not yet sent or given up; 0 when there is none.");
    }

    private IEnumerable<Measurement<double>> BackupAge() => Read(connection =>
        connection.ExecuteScalar<DateTime?>(LastBackupSql) is { } at ? (_clock.UtcNow - at).TotalSeconds : (double?)null);

    private long WalSize()
    {
        var wal = new FileInfo(_db.DataSource + "-wal");
        return wal.Exists ? wal.Length : 0;
    }

    /// <summary>One short read on a pooled connection; nothing when the database cannot answer now or there is no value.</summary>
    private IEnumerable<Measurement<T>> Read<T>(Func<SqliteConnection, T?> query)
        where T : struct
    {
        try
        {
            using var connection = new SqliteConnection(_db.ConnectionString);
            connection.Open();
            return query(connection) is { } value ? [new Measurement<T>(value)] : [];
        }
        catch (SqliteException)
        {
            return [];
        }
    }
}
