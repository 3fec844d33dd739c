using System.Text.Json;
using InitiativeTracker.Api.Features.Initiatives;
using InitiativeTracker.Api.Infrastructure.Errors;
using InitiativeTracker.Api.Infrastructure.Http;

namespace InitiativeTracker.Api.Features.Webhooks;

/// <summary>A webhook as stored, secret included. Clients see <see cref="WebhookResponse"/>, and the secret only once.</summary>
internal sealed record WebhookRow
{
    public const string Columns = """
        id AS Id, url AS Url, events AS Events, secret AS Secret, active AS Active,
        version AS Version, created_at AS CreatedAt, updated_at AS UpdatedAt
        """;

    public const string SelectById = $"SELECT {Columns} FROM webhooks WHERE id = @Id;";

    public long Id { get; init; }
    public required string Url { get; init; }

    /// <summary>JSON array of event types.</summary>
    public required string Events { get; init; }

    public required string Secret { get; init; }
    public bool Active { get; init; }
    public long Version { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; init; }

    public WebhookResponse ToResponse() => new()
    {
        Id = Id,
        Url = Url,
        Events = JsonSerializer.Deserialize<WebhookEventType[]>(Events, TrackerJson.Options) ?? [],
        Active = Active,
        Version = Version,
        CreatedAt = CreatedAt,
        UpdatedAt = UpdatedAt,
    };

    /// <summary>A paused webhook is sent nothing, so asking to send it something (a ping, a redelivery) is a conflict.</summary>
    public void EnsureActive()
    {
        if (!Active)
        {
            throw ProblemException.Conflict($"Webhook {Id} is inactive: set 'active' to true first.", "active");
        }
    }
}

/// <summary>A subscription: deliveries of the listed events go to the URL, signed with the webhook's secret.</summary>
internal sealed record WebhookResponse : IVersioned
{
    public long Id { get; init; }
    public required string Url { get; init; }

    /// <summary>The event types delivered to this webhook (ping is always delivered on request).</summary>
    public required IReadOnlyList<WebhookEventType> Events { get; init; }

    /// <summary>An inactive webhook is sent nothing: new events are not queued for it and queued deliveries wait.</summary>
    public bool Active { get; init; }

    public long Version { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; init; }
}

/// <summary>The created webhook with its signing secret: the only response that ever shows the secret.</summary>
internal sealed record CreatedWebhookResponse : IVersioned
{
    public long Id { get; init; }
    public required string Url { get; init; }
    public required IReadOnlyList<WebhookEventType> Events { get; init; }
    public bool Active { get; init; }

    /// <summary>The key of each delivery's HMAC-SHA256 signature. Shown here once; store it now.</summary>
    public required string Secret { get; init; }

    public long Version { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; init; }
}

public enum DeliveryStatus
{
    /// <summary>Queued, or waiting for its next retry.</summary>
    Pending,

    /// <summary>The receiver answered 2xx.</summary>
    Delivered,

    /// <summary>Every attempt failed; redeliver to try again.</summary>
    Failed,
}

/// <summary>A delivery as stored.</summary>
internal sealed record WebhookDeliveryRow
{
    public const string Columns = """
        id AS Id, webhook_id AS WebhookId, event_id AS EventId, event AS Event, delivery_id AS DeliveryId,
        status AS Status, attempts AS Attempts, next_attempt_at AS NextAttemptAt, last_attempt_at AS LastAttemptAt,
        last_status_code AS LastStatusCode, last_error AS LastError, version AS Version, created_at AS CreatedAt
        """;

    public long Id { get; init; }
    public long WebhookId { get; init; }
    public required string EventId { get; init; }
    public required string Event { get; init; }
    public required string DeliveryId { get; init; }
    public required string Status { get; init; }
    public int Attempts { get; init; }
    public DateTime? NextAttemptAt { get; init; }
    public DateTime? LastAttemptAt { get; init; }
    public int? LastStatusCode { get; init; }
    public string? LastError { get; init; }
    public long Version { get; init; }
    public DateTime CreatedAt { get; init; }

    public WebhookDeliveryResponse ToResponse() => new()
    {
        Id = Id,
        DeliveryId = DeliveryId,
        EventId = EventId,
        Event = EnumText.Parse<WebhookEventType>(Event),
        Status = Enum.Parse<DeliveryStatus>(Status, ignoreCase: true),
        Attempts = Attempts,
        NextAttemptAt = NextAttemptAt,
        LastAttemptAt = LastAttemptAt,
        LastStatusCode = LastStatusCode,
        LastError = LastError,
        Version = Version,
        CreatedAt = CreatedAt,
    };
}

/// <summary>One event sent (or to be sent) to one webhook, with the outcome of its latest attempt.</summary>
internal sealed record WebhookDeliveryResponse : IVersioned
{
    public long Id { get; init; }

    /// <summary>The Tracker-Delivery header: the same across retries and redeliveries, so receivers dedupe on it.</summary>
    public required string DeliveryId { get; init; }

    /// <summary>The envelope's id: the same in every webhook that received this event.</summary>
    public required string EventId { get; init; }

    /// <summary>The event type (the Tracker-Event header).</summary>
    public required WebhookEventType Event { get; init; }

    public DeliveryStatus Status { get; init; }

    /// <summary>Attempts made (a redelivery starts again from 0); six failed attempts make it failed.</summary>
    public int Attempts { get; init; }

    /// <summary>When a pending delivery is (re)tried; null once delivered or failed.</summary>
    public DateTime? NextAttemptAt { get; init; }

    public DateTime? LastAttemptAt { get; init; }

    /// <summary>The HTTP status the receiver answered last; null when it did not answer.</summary>
    public int? LastStatusCode { get; init; }

    /// <summary>Why the last attempt failed, in short (a status, a timeout, a connection error); null when it succeeded.</summary>
    public string? LastError { get; init; }

    /// <summary>Bumped whenever the delivery changes (an attempt, a retry's lease, a redelivery); its ETag is this, quoted.</summary>
    public long Version { get; init; }

    public DateTime CreatedAt { get; init; }
}
