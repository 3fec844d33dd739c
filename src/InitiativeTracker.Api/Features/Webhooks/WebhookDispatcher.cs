using Dapper;
using InitiativeTracker.Api.Infrastructure.Background;
using InitiativeTracker.Api.Infrastructure.Database;
using InitiativeTracker.Api.Infrastructure.Time;
using Microsoft.Extensions.Options;

namespace InitiativeTracker.Api.Features.Webhooks;

/// <summary>
/// Sends the deliveries that are due: queued ones, retries whose time has come, and any left from
/// before a restart. A pass claims a batch in a short write transaction (leasing it, so no other pass
/// or process sends it meanwhile), sends outside the write gate, and records each outcome in another
/// short transaction. A failure is retried after <c>RetryBaseSeconds</c>, then 5× longer each time;
/// the sixth failure marks the delivery failed. A crash mid-send leaves the delivery pending: it is
/// sent again when its lease runs out (at least once).
/// </summary>
internal sealed class WebhookDispatcher(Db db, TrackerClock clock, WebhookSender sender, IOptions<WebhookOptions> options, ILogger<WebhookDispatcher> logger)
{
    public const int MaxAttempts = 6;

    private const int BatchSize = 16;
    private const int Parallelism = 4;

    /// <summary>Longer than a send can take (<see cref="WebhookSender.Timeout"/>), so a lease only runs out when its pass died.</summary>
    private static readonly TimeSpan s_lease = TimeSpan.FromMinutes(1);

    private const string DueSql = """
        SELECT d.id AS Id, d.delivery_id AS DeliveryId, d.event AS Event, d.attempts AS Attempts,
               w.url AS Url, w.secret AS Secret, e.body AS Body
        FROM webhook_deliveries d
        JOIN webhooks w ON w.id = d.webhook_id
        JOIN webhook_events e ON e.id = d.event_id
        WHERE d.status = 'pending' AND w.active = 1 AND d.next_attempt_at <= @Now
        ORDER BY d.next_attempt_at, d.id
        LIMIT @BatchSize;
        """;

    // Every UPDATE of a delivery bumps its version: the lease shows as nextAttemptAt, so it changes the ETag too.
    private const string LeaseSql = "UPDATE webhook_deliveries SET next_attempt_at = @Until, version = version + 1 WHERE id IN @Ids;";

    private const string NextDueSql = """
        SELECT MIN(d.next_attempt_at) FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
        WHERE d.status = 'pending' AND w.active = 1;
        """;

    private const string RecordSql = """
        UPDATE webhook_deliveries
        SET status = @Status, attempts = @Attempts, next_attempt_at = @NextAttemptAt, last_attempt_at = @LastAttemptAt,
            last_status_code = @LastStatusCode, last_error = @LastError, version = version + 1
        WHERE id = @Id;
        """;

    private readonly SemaphoreSlim _pass = new(1, 1);

    /// <summary>
    /// Sends everything due now, and returns how many attempts it made. One pass at a time runs in this
    /// process: the background loop and a test calling this directly never send the same delivery twice.
    /// </summary>
    public async Task<int> DispatchDueAsync(CancellationToken ct)
    {
        await _pass.WaitAsync(ct);
        try
        {
            var attempts = 0;
            while (true)
            {
                var batch = await ClaimAsync(ct);
                if (batch.Count == 0)
                {
                    return attempts;
                }

                await Parallel.ForEachAsync(batch, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = ct },
                    async (attempt, token) => await AttemptAsync(attempt, token));
                attempts += batch.Count;
            }
        }
        finally
        {
            _pass.Release();
        }
    }

    /// <summary>When the next pending delivery (or lease) falls due; null when none is pending.</summary>
    public async Task<DateTime?> NextDueAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<DateTime?>(new CommandDefinition(NextDueSql, cancellationToken: ct));
    }

    private Task<List<DeliveryAttempt>> ClaimAsync(CancellationToken ct) =>
        OutboxLease.ClaimAsync<DeliveryAttempt>(db, clock, DueSql, LeaseSql, s_lease, BatchSize, d => d.Id, ct);

    private async Task AttemptAsync(DeliveryAttempt attempt, CancellationToken ct)
    {
        var attemptedAt = clock.UtcNow;
        var outcome = await sender.SendAsync(attempt, ct);
        var attempts = attempt.Attempts + 1;
        var failed = !outcome.Delivered && attempts >= MaxAttempts;
        DateTime? next = outcome.Delivered || failed ? null : clock.UtcNow + OutboxLease.Backoff(attempts, options.Value.RetryBaseSeconds);
        if (!outcome.Delivered)
        {
            logger.LogWarning("Webhook delivery {DeliveryId} ({Event}) attempt {Attempt} failed: {Error}",
                attempt.DeliveryId, attempt.Event, attempts, outcome.Error);
        }

        // Record the outcome even when shutdown began meanwhile: the attempt happened.
        await db.WriteAsync((connection, transaction) => connection.ExecuteAsync(new CommandDefinition(RecordSql, new
        {
            attempt.Id,
            Status = outcome.Delivered ? "delivered" : failed ? "failed" : "pending",
            Attempts = attempts,
            NextAttemptAt = next,
            LastAttemptAt = attemptedAt,
            LastStatusCode = outcome.StatusCode,
            LastError = outcome.Error,
        }, transaction, cancellationToken: CancellationToken.None)), CancellationToken.None);
    }
}

/// <summary>Runs dispatch passes: at start, whenever a delivery is queued, and when the next retry falls due (or at the poll interval).</summary>
internal sealed class WebhookDispatchService(
    WebhookDispatcher dispatcher, WebhookSignal signal, TimeProvider time, IOptions<WebhookOptions> options, ILogger<WebhookDispatchService> logger)
    : BackgroundService
{
    /// <summary>No busier than this, even when something is due at once: a guard against a hot loop.</summary>
    private static readonly TimeSpan s_minimumWait = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // SQLite's async calls complete synchronously: yield so host start-up does not wait on the first pass.
        await Task.Yield();
        var poll = TimeSpan.FromSeconds(options.Value.ScanIntervalSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = poll;
            try
            {
                await dispatcher.DispatchDueAsync(stoppingToken);
                if (await dispatcher.NextDueAsync(stoppingToken) is { } next)
                {
                    wait = TimeSpan.FromTicks(Math.Clamp((next - time.GetUtcNow().UtcDateTime).Ticks, s_minimumWait.Ticks, poll.Ticks));
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogError(e, "A webhook dispatch pass failed; the next one starts within {Wait}.", wait);
            }

            await WaitAsync(wait, stoppingToken);
        }
    }

    private async Task WaitAsync(TimeSpan wait, CancellationToken stoppingToken)
    {
        using var timeout = new CancellationTokenSource(wait, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, timeout.Token);
        try
        {
            await signal.WaitAsync(linked.Token);
        }
        catch (OperationCanceledException)
        {
            // The wait ran out (time for the next retry or poll), or the service is stopping: the loop checks.
        }
    }
}
