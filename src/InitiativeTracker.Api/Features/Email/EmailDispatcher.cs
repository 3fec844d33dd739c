using Dapper;
using InitiativeTracker.Api.Infrastructure.Background;
using InitiativeTracker.Api.Infrastructure.Database;
using InitiativeTracker.Api.Infrastructure.Time;
using Microsoft.Extensions.Options;

namespace InitiativeTracker.Api.Features.Email;

/// <summary>
/// Sends the queued emails that are due, one SMTP attempt each. A pass leases what it claims (so a pass that
/// overlaps, or another host after a crash, waits for the lease to run out), sends outside the write gate,
/// and records each outcome. A failed attempt is retried after <c>RetryBaseSeconds</c>, then five times
/// longer each time; after <c>MaxAttempts</c> the email is failed, with the server's last answer kept.
/// An email is sent twice only when the server accepted it and the outcome was never recorded (the
/// process died in between, or the connection dropped after the server's final answer, which MailKit
/// then cannot see): the next attempt sends it again under the same Message-ID.
/// </summary>
internal sealed class EmailDispatcher(Db db, TrackerClock clock, EmailSender sender, IOptions<EmailOptions> options, ILogger<EmailDispatcher> logger)
{
    private const int BatchSize = 16;

    private const string DueSql = """
        SELECT id AS Id, recipient AS Recipient, subject AS Subject, text_body AS TextBody, html_body AS HtmlBody,
               unsubscribe_url AS UnsubscribeUrl, attempts AS Attempts, created_at AS CreatedAt
        FROM email_outbox
        WHERE status = 'pending' AND next_attempt_at <= @Now
        ORDER BY next_attempt_at, id
        LIMIT @BatchSize;
        """;

    private const string LeaseSql = "UPDATE email_outbox SET next_attempt_at = @Until WHERE id IN @Ids;";

    private const string RecordSql = """
        UPDATE email_outbox
        SET status = @Status, attempts = @Attempts, next_attempt_at = @NextAttemptAt, last_attempt_at = @LastAttemptAt,
            last_error = @LastError, sent_at = @SentAt
        WHERE id = @Id;
        """;

    private readonly SemaphoreSlim _pass = new(1, 1);

    /// <summary>Longer than one attempt can take (connect, greeting, login, envelope, data, each within the timeout).</summary>
    private TimeSpan Lease => TimeSpan.FromSeconds(options.Value.Smtp.TimeoutSeconds * 8);

    /// <summary>Sends everything due now; the number of attempts made. One pass at a time in this process.</summary>
    public async Task<int> DispatchDueAsync(CancellationToken ct)
    {
        if (!options.Value.Enabled)
        {
            return 0;
        }

        await _pass.WaitAsync(ct);
        try
        {
            var attempts = 0;
            while (await ClaimAsync(ct) is { Count: > 0 } batch)
            {
                foreach (var email in batch)
                {
                    await AttemptAsync(email, ct);
                }

                attempts += batch.Count;
            }

            return attempts;
        }
        finally
        {
            _pass.Release();
        }
    }

    private Task<List<OutgoingEmail>> ClaimAsync(CancellationToken ct) =>
        OutboxLease.ClaimAsync<OutgoingEmail>(db, clock, DueSql, LeaseSql, Lease, BatchSize, e => e.Id, ct);

    private async Task AttemptAsync(OutgoingEmail email, CancellationToken ct)
    {
        var attemptedAt = clock.UtcNow;
        var outcome = await sender.SendAsync(email, ct);
        var attempts = email.Attempts + 1;
        var failed = !outcome.Sent && attempts >= options.Value.MaxAttempts;
        DateTime? next = outcome.Sent || failed ? null : clock.UtcNow + OutboxLease.Backoff(attempts, options.Value.RetryBaseSeconds);
        if (!outcome.Sent)
        {
            logger.LogWarning("Email {EmailId} attempt {Attempt} failed{Final}: {Error}",
                email.Id, attempts, failed ? " (no more attempts)" : "", outcome.Error);
        }

        // Recorded even when shutdown began meanwhile: the attempt happened.
        await db.WriteAsync((connection, transaction) => connection.ExecuteAsync(new CommandDefinition(RecordSql, new
        {
            email.Id,
            Status = outcome.Sent ? "sent" : failed ? "failed" : "pending",
            Attempts = attempts,
            NextAttemptAt = next,
            LastAttemptAt = attemptedAt,
            LastError = outcome.Sent ? null : outcome.Error,
            SentAt = outcome.Sent ? clock.UtcNow : (DateTime?)null,
        }, transaction, cancellationToken: CancellationToken.None)), CancellationToken.None);
    }
}

/// <summary>
/// The email loop: decides the reminders and digests that are due, then sends what is queued; at start,
/// whenever an email is queued, and every <c>Tracker:Email:PollSeconds</c> of the injected clock. With
/// email off it does nothing at all.
/// </summary>
internal sealed class EmailService(
    EmailScheduler scheduler, EmailDispatcher dispatcher, EmailSignal signal, TimeProvider time, IOptions<EmailOptions> options, ILogger<EmailService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        // SQLite's async calls complete synchronously: yield so host start-up does not wait on the first pass.
        await Task.Yield();
        var poll = TimeSpan.FromSeconds(options.Value.PollSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await scheduler.RunAsync(stoppingToken);
                await dispatcher.DispatchDueAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogError(e, "An email pass failed; the next one starts within {Poll}.", poll);
            }

            using var timeout = new CancellationTokenSource(poll, time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, timeout.Token);
            try
            {
                await signal.WaitAsync(linked.Token);
            }
            catch (OperationCanceledException)
            {
                // The poll interval ran out, or the service is stopping: the loop checks.
            }
        }
    }
}
