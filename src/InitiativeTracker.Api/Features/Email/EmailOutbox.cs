using Dapper;
using InitiativeTracker.Api.Infrastructure.Background;
using InitiativeTracker.Api.Infrastructure.Time;
using Microsoft.Data.Sqlite;

namespace InitiativeTracker.Api.Features.Email;

/// <summary>What kind of email an outbox row is.</summary>
internal static class EmailKinds
{
    public const string Reminder = "reminder";
    public const string Digest = "digest";
    public const string Test = "test";

    public static readonly string[] All = [Reminder, Digest, Test];
}

/// <summary>An email as decided and rendered: what the outbox keeps and the sender sends.</summary>
internal sealed record DecidedEmail(
    string Kind, string Recipient, string Subject, RenderedEmail Body, string? UnsubscribeUrl,
    long? OwnerId = null, long? SubscriptionId = null, DateOnly? Period = null);

/// <summary>
/// Queues emails as rows written in the caller's transaction: the decision to send and the email commit
/// together, or neither does. A reminder or digest whose key (owner and day, subscription and week) is
/// already in the outbox is not queued again, so nothing is decided twice, across restarts too.
/// </summary>
internal sealed class EmailOutbox(TrackerClock clock, EmailSignal signal)
{
    private const string InsertSql = $"""
        INSERT OR IGNORE INTO email_outbox
            (kind, owner_id, subscription_id, period, recipient, subject, text_body, html_body, unsubscribe_url,
             status, attempts, next_attempt_at, created_at)
        VALUES (@Kind, @OwnerId, @SubscriptionId, @Period, @Recipient, @Subject, @Text, @Html, @UnsubscribeUrl,
                'pending', 0, @Now, @Now)
        RETURNING {EmailOutboxRow.Columns};
        """;

    /// <summary>The queued row; null when an email with the same key was queued before.</summary>
    public async Task<EmailOutboxRow?> EnqueueAsync(SqliteConnection connection, SqliteTransaction transaction, DecidedEmail email, CancellationToken ct)
    {
        var row = await connection.QuerySingleOrDefaultAsync<EmailOutboxRow>(new CommandDefinition(InsertSql, new
        {
            email.Kind,
            email.OwnerId,
            email.SubscriptionId,
            email.Period,
            email.Recipient,
            email.Subject,
            email.Body.Text,
            email.Body.Html,
            email.UnsubscribeUrl,
            Now = clock.UtcNowText,
        }, transaction, cancellationToken: ct));
        if (row is not null)
        {
            // The sender claims through the write gate this transaction holds: it looks once this commits.
            signal.Wake();
        }

        return row;
    }
}

/// <summary>Wakes the email loop when an email is queued, so it goes out at once rather than at the next poll.</summary>
internal sealed class EmailSignal : WakeSignal;
