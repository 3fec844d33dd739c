using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using InitiativeTracker.Api.Features.CheckIns;
using InitiativeTracker.Api.Features.Initiatives;
using InitiativeTracker.Api.Features.Reports;
using InitiativeTracker.Api.Infrastructure.Audit;

namespace InitiativeTracker.Api.Features.Webhooks;

/// <summary>Something that happened, to be told to the webhooks subscribed to its <see cref="Type"/>: the envelope's <c>type</c> and <c>data</c>.</summary>
internal sealed record WebhookEvent(string Type, object Data);

/// <summary>
/// A webhook event's type: the envelope's <c>type</c> and the <c>Tracker-Event</c> header. Webhooks subscribe
/// to any but <c>ping</c>, which <c>POST /webhooks/{id}/ping</c> sends to that webhook whatever it subscribes to.
/// </summary>
public enum WebhookEventType
{
    [JsonStringEnumMemberName("initiative.created")]
    InitiativeCreated,

    [JsonStringEnumMemberName("initiative.updated")]
    InitiativeUpdated,

    [JsonStringEnumMemberName("initiative.deleted")]
    InitiativeDeleted,

    [JsonStringEnumMemberName("check_in.created")]
    CheckInCreated,

    [JsonStringEnumMemberName("deadline.changed")]
    DeadlineChanged,

    [JsonStringEnumMemberName("initiative.overdue")]
    InitiativeOverdue,

    [JsonStringEnumMemberName("initiative.due_soon")]
    InitiativeDueSoon,

    [JsonStringEnumMemberName("report.overdue_digest")]
    OverdueDigest,

    Ping,
}

/// <summary>The events of the spec's table, and the <c>data</c> each one carries.</summary>
internal static class WebhookEvents
{
    public static readonly string InitiativeCreated = WebhookEventType.InitiativeCreated.ToText();
    public static readonly string InitiativeUpdated = WebhookEventType.InitiativeUpdated.ToText();
    public static readonly string InitiativeDeleted = WebhookEventType.InitiativeDeleted.ToText();
    public static readonly string CheckInCreated = WebhookEventType.CheckInCreated.ToText();
    public static readonly string DeadlineChanged = WebhookEventType.DeadlineChanged.ToText();
    public static readonly string InitiativeOverdue = WebhookEventType.InitiativeOverdue.ToText();
    public static readonly string InitiativeDueSoon = WebhookEventType.InitiativeDueSoon.ToText();
    public static readonly string OverdueDigest = WebhookEventType.OverdueDigest.ToText();
    public static readonly string Ping = WebhookEventType.Ping.ToText();

    /// <summary>The events a webhook may subscribe to, in the catalogue's order.</summary>
    public static readonly IReadOnlyList<WebhookEventType> Subscribable = [.. Enum.GetValues<WebhookEventType>().Where(t => t != WebhookEventType.Ping)];

    /// <summary><see cref="Subscribable"/> as the text requests carry.</summary>
    public static readonly string[] All = [.. Subscribable.Select(t => t.ToText())];

    /// <summary>The distinct subscribable events named in <paramref name="events"/> (validated text), in the catalogue's order.</summary>
    public static WebhookEventType[] Of(IEnumerable<string> events) => [.. Subscribable.Where(t => events.Contains(t.ToText()))];

    public static WebhookEvent Created(InitiativeResponse initiative) => new(InitiativeCreated, new InitiativeEventData(initiative));

    /// <summary><c>changes</c> are the descriptive fields that changed, as the audit trail records them.</summary>
    public static WebhookEvent Updated(InitiativeRow before, InitiativeRow after, DateOnly today) =>
        new(InitiativeUpdated, new InitiativeUpdatedData(after.ToResponse(today), AuditTrail.Changes(before, after)));

    public static WebhookEvent Deleted(InitiativeResponse initiative) => new(InitiativeDeleted, new InitiativeEventData(initiative));

    public static WebhookEvent CheckedIn(CheckInResponse checkIn, InitiativeResponse initiative) =>
        new(CheckInCreated, new CheckInCreatedData(checkIn, initiative));

    public static WebhookEvent DeadlineMoved(DateOnly from, InitiativeResponse initiative, string reason, string changedBy) =>
        new(DeadlineChanged, new DeadlineChangedData(initiative, from, initiative.Deadline, reason, changedBy));

    public static WebhookEvent Overdue(InitiativeResponse initiative) => new(InitiativeOverdue, new InitiativeEventData(initiative));

    public static WebhookEvent DueSoon(InitiativeResponse initiative) => new(InitiativeDueSoon, new InitiativeEventData(initiative));

    public static WebhookEvent Digest(OverdueReport report) => new(OverdueDigest, report);

    public static WebhookEvent Pinged(long webhookId) => new(Ping, new PingData(webhookId, "Deliveries to this webhook work."));
}

/// <summary><c>data</c> of initiative.created, initiative.deleted (its last state), initiative.overdue and initiative.due_soon.</summary>
internal sealed record InitiativeEventData(InitiativeResponse Initiative);

/// <summary><c>data</c> of initiative.updated: the initiative now, and each changed field as <c>{ before, after }</c>.</summary>
internal sealed record InitiativeUpdatedData(InitiativeResponse Initiative, JsonObject Changes);

/// <summary><c>data</c> of check_in.created: the check-in, and the initiative it updated.</summary>
internal sealed record CheckInCreatedData(CheckInResponse CheckIn, InitiativeResponse Initiative);

/// <summary><c>data</c> of deadline.changed: the initiative with its new deadline, and the move.</summary>
internal sealed record DeadlineChangedData(InitiativeResponse Initiative, DateOnly From, DateOnly To, string Reason, string ChangedBy);

/// <summary><c>data</c> of ping.</summary>
internal sealed record PingData(long WebhookId, string Message);
