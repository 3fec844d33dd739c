using InitiativeTracker.Api.Infrastructure.OpenApi;

namespace InitiativeTracker.Api.Features.Email;

/// <summary>An email's state in the outbox.</summary>
public enum EmailStatus
{
    Pending,
    Sent,
    Failed,
}

/// <summary>What an email in the outbox is: an owner's daily reminder, a subscription's weekly digest, or a test.</summary>
public enum EmailKind
{
    Reminder,
    Digest,
    Test,
}

/// <summary>An outbox row as stored (the bodies stay in the database; the API lists the rest).</summary>
internal sealed record EmailOutboxRow
{
    public const string Columns = """
        id AS Id, kind AS Kind, owner_id AS OwnerId, subscription_id AS SubscriptionId, period AS Period,
        recipient AS Recipient, subject AS Subject, status AS Status, attempts AS Attempts,
        next_attempt_at AS NextAttemptAt, last_attempt_at AS LastAttemptAt, last_error AS LastError,
        sent_at AS SentAt, created_at AS CreatedAt
        """;

    public long Id { get; init; }
    public required string Kind { get; init; }
    public long? OwnerId { get; init; }
    public long? SubscriptionId { get; init; }
    public DateOnly? Period { get; init; }
    public required string Recipient { get; init; }
    public required string Subject { get; init; }
    public required string Status { get; init; }
    public long Attempts { get; init; }
    public DateTime? NextAttemptAt { get; init; }
    public DateTime? LastAttemptAt { get; init; }
    public string? LastError { get; init; }
    public DateTime? SentAt { get; init; }
    public DateTime CreatedAt { get; init; }

    public EmailOutboxResponse ToResponse() => new()
    {
        Id = Id,
        Kind = Enum.Parse<EmailKind>(Kind, ignoreCase: true),
        OwnerId = OwnerId,
        SubscriptionId = SubscriptionId,
        Period = Period,
        Recipient = Recipient,
        Subject = Subject,
        Status = Enum.Parse<EmailStatus>(Status, ignoreCase: true),
        Attempts = (int)Attempts,
        NextAttemptAt = Status == "pending" ? NextAttemptAt : null,
        LastAttemptAt = LastAttemptAt,
        LastError = LastError,
        SentAt = SentAt,
        CreatedAt = CreatedAt,
    };
}

/// <summary>An email in the outbox: what it is, to whom, and how sending it went.</summary>
internal sealed record EmailOutboxResponse : IDocumentedExample<EmailOutboxResponse>
{
    public long Id { get; init; }

    public EmailKind Kind { get; init; }

    /// <summary>A reminder's owner.</summary>
    public long? OwnerId { get; init; }

    /// <summary>A digest's subscription.</summary>
    public long? SubscriptionId { get; init; }

    /// <summary>A reminder's day, or a digest's week (its Monday), in the tracker's zone.</summary>
    public DateOnly? Period { get; init; }

    public required string Recipient { get; init; }
    public required string Subject { get; init; }

    /// <summary>pending (queued or to be retried), sent (the server accepted it) or failed (every attempt failed).</summary>
    public EmailStatus Status { get; init; }

    public int Attempts { get; init; }

    /// <summary>When pending: when the next attempt is due.</summary>
    public DateTime? NextAttemptAt { get; init; }

    public DateTime? LastAttemptAt { get; init; }

    /// <summary>The SMTP server's last answer (or what went wrong) when the latest attempt failed.</summary>
    public string? LastError { get; init; }

    public DateTime? SentAt { get; init; }
    public DateTime CreatedAt { get; init; }

    public static EmailOutboxResponse Example => new()
    {
        Id = 42,
        Kind = EmailKind.Reminder,
        OwnerId = 7,
        Period = new DateOnly(2026, 3, 10),
        Recipient = "li.na@example.edu",
        Subject = "InitiativeTracker: 2 initiatives need your attention (2026-03-10)",
        Status = EmailStatus.Failed,
        Attempts = 5,
        LastAttemptAt = DocumentedExample.Created,
        LastError = "550 5.1.1 Mailbox unavailable",
        CreatedAt = DocumentedExample.Created,
    };
}
