using Dapper;
using InitiativeTracker.Api.Features.Initiatives;
using InitiativeTracker.Api.Features.Reports;
using InitiativeTracker.Api.Infrastructure.Database;
using InitiativeTracker.Api.Infrastructure.Http;
using InitiativeTracker.Api.Infrastructure.Time;
using MediatR;
using Microsoft.Extensions.Options;

namespace InitiativeTracker.Api.Features.Webhooks;

/// <summary>
/// The time-based events, which no write causes: <c>initiative.overdue</c> and <c>initiative.due_soon</c>
/// once per initiative and deadline, and the weekly <c>report.overdue_digest</c> (Monday 09:00 in the
/// tracker's zone). What fired is recorded with the deliveries it queued, in one transaction, so a
/// restart never fires anything twice and a crash never loses what fired.
/// </summary>
internal sealed class WebhookScanner(
    Db db, TrackerClock clock, WebhookOutbox outbox, IServiceScopeFactory scopes, IOptions<WebhookOptions> options)
{
    /// <summary>The digest carries the first rows of the overdue report (most overdue first) and their total.</summary>
    public const int DigestRows = ListQuery.MaxPageSize;

    private static readonly TimeOnly s_digestTime = new(9, 0);

    private const int BatchSize = 200;

    private const string FireSql = """
        INSERT OR IGNORE INTO webhook_deadline_events (initiative_id, deadline, type, fired_at)
        VALUES (@InitiativeId, @Deadline, @Type, @Now);
        """;

    private const string DigestFiredSql = "SELECT EXISTS (SELECT 1 FROM webhook_digests WHERE week_of = @WeekOf);";

    private const string FireDigestSql = "INSERT OR IGNORE INTO webhook_digests (week_of, fired_at) VALUES (@WeekOf, @Now);";

    // A finished delivery has been attempted, so it has a last_attempt_at; an old event goes once no delivery needs it.
    private const string PruneSql = """
        DELETE FROM webhook_deliveries WHERE status IN ('delivered', 'failed') AND last_attempt_at < @Cutoff;
        DELETE FROM webhook_events
        WHERE occurred_at < @Cutoff AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_id = webhook_events.id);
        """;

    private readonly SemaphoreSlim _pass = new(1, 1);

    /// <summary>One scan. One runs at a time in this process; the recorded keys make any overlap harmless anyway.</summary>
    public async Task ScanAsync(CancellationToken ct)
    {
        await _pass.WaitAsync(ct);
        try
        {
            var today = clock.Today;
            await FireDeadlineEventsAsync(WebhookEvents.InitiativeOverdue, "i.deadline < @Today", today, ct);
            await FireDeadlineEventsAsync(WebhookEvents.InitiativeDueSoon, "i.deadline >= @Today AND i.deadline <= @Until", today, ct);
            await FireDigestAsync(ct);
            await PruneAsync(ct);
        }
        finally
        {
            _pass.Release();
        }
    }

    /// <summary>The Monday (in the tracker's zone) of the latest digest due at <paramref name="utcNow"/>: the latest Monday 09:00 not after it.</summary>
    public static DateOnly DigestWeek(DateTime utcNow, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTimeFromUtc(utcNow, zone);
        var date = DateOnly.FromDateTime(local);
        var monday = date.AddDays(-(((int)date.DayOfWeek + 6) % 7));
        return local < monday.ToDateTime(s_digestTime) ? monday.AddDays(-7) : monday;
    }

    private async Task FireDeadlineEventsAsync(string type, string condition, DateOnly today, CancellationToken ct)
    {
        var sql = $"""
            SELECT {InitiativeRow.Columns} FROM initiatives i
            WHERE i.status IN {OpenStatuses.Sql} AND {condition}
              AND NOT EXISTS (SELECT 1 FROM webhook_deadline_events f
                              WHERE f.initiative_id = i.id AND f.deadline = i.deadline AND f.type = @Type)
            ORDER BY i.deadline, i.id
            LIMIT @BatchSize;
            """;
        var parameters = new { Type = type, Today = today, Until = today.AddDays(options.Value.DueSoonDays), BatchSize };
        // Batches of their own transactions, so a first scan over a large backlog never holds the write gate for long.
        bool more;
        do
        {
            more = await db.WriteAsync(async (connection, transaction) =>
            {
                var rows = (await connection.QueryAsync<InitiativeRow>(new CommandDefinition(sql, parameters, transaction, cancellationToken: ct))).AsList();
                foreach (var row in rows)
                {
                    var fired = await connection.ExecuteAsync(new CommandDefinition(FireSql,
                        new { InitiativeId = row.Id, row.Deadline, Type = type, Now = clock.UtcNowText }, transaction, cancellationToken: ct));
                    if (fired == 1)
                    {
                        var initiative = row.ToResponse(today);
                        var @event = type == WebhookEvents.InitiativeOverdue ? WebhookEvents.Overdue(initiative) : WebhookEvents.DueSoon(initiative);
                        await outbox.EnqueueAsync(connection, transaction, @event, ct);
                    }
                }

                return rows.Count == BatchSize;
            }, ct);
        }
        while (more);
    }

    private async Task FireDigestAsync(CancellationToken ct)
    {
        var weekOf = DigestWeek(clock.UtcNow, clock.Zone);
        await using (var connection = await db.OpenAsync(ct))
        {
            if (await connection.ExecuteScalarAsync<bool>(new CommandDefinition(DigestFiredSql, new { WeekOf = weekOf }, cancellationToken: ct)))
            {
                return;
            }
        }

        // The report is read before the write, outside the write gate; the insert below decides who fires.
        await using var scope = scopes.CreateAsyncScope();
        var report = await scope.ServiceProvider.GetRequiredService<IMediator>()
            .Send(new OverdueReportQuery { Rows = new ReportRows { PageSize = DigestRows } }, ct);
        await db.WriteAsync(async (connection, transaction) =>
        {
            var fired = await connection.ExecuteAsync(new CommandDefinition(FireDigestSql,
                new { WeekOf = weekOf, Now = clock.UtcNowText }, transaction, cancellationToken: ct));
            if (fired == 1)
            {
                await outbox.EnqueueAsync(connection, transaction, WebhookEvents.Digest(report), ct);
            }

            return fired;
        }, ct);
    }

    private Task PruneAsync(CancellationToken ct) =>
        db.WriteAsync((connection, transaction) => connection.ExecuteAsync(new CommandDefinition(PruneSql,
            new { Cutoff = clock.UtcNow.AddDays(-options.Value.RetentionDays) }, transaction, cancellationToken: ct)), ct);
}

/// <summary>Runs the scan at start and every <c>Tracker:Webhooks:ScanIntervalSeconds</c> of the injected clock.</summary>
internal sealed class WebhookScanService(WebhookScanner scanner, TimeProvider time, IOptions<WebhookOptions> options, ILogger<WebhookScanService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // SQLite's async calls complete synchronously: yield so host start-up does not wait on the first scan.
        await Task.Yield();
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.ScanIntervalSeconds), time);
        try
        {
            do
            {
                try
                {
                    await scanner.ScanAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    logger.LogError(e, "The webhook deadline scan failed; it runs again in {Interval} s.", options.Value.ScanIntervalSeconds);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }
}
