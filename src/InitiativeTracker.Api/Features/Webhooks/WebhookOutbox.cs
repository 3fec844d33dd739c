using System.Text.Json;
using Dapper;
using InitiativeTracker.Api.Infrastructure.Background;
using InitiativeTracker.Api.Infrastructure.Http;
using InitiativeTracker.Api.Infrastructure.Time;
using Microsoft.Data.Sqlite;

namespace InitiativeTracker.Api.Features.Webhooks;

/// <summary>What a webhook receives: <c>{ id, type, occurredAt, data }</c>.</summary>
internal sealed record WebhookEnvelope(string Id, string Type, DateTime OccurredAt, object Data);

/// <summary>
/// Queues webhook deliveries as rows written in the caller's transaction (an outbox): they commit with
/// the change that causes them, or roll back with it, and the dispatcher sends them after. A crash
/// between commit and send delays a delivery, never loses it.
/// </summary>
internal sealed class WebhookOutbox(TrackerClock clock, WebhookSignal signal)
{
    private const string SubscribersSql = """
        SELECT w.id FROM webhooks w
        WHERE w.active = 1 AND EXISTS (SELECT 1 FROM json_each(w.events) e WHERE e.value = @Type)
        ORDER BY w.id;
        """;

    private const string InsertEventSql = """
        INSERT INTO webhook_events (id, type, occurred_at, body) VALUES (@Id, @Type, @OccurredAt, @Body);
        """;

    private const string InsertDeliverySql = $"""
        INSERT INTO webhook_deliveries (webhook_id, event_id, event, delivery_id, status, attempts, next_attempt_at, created_at)
        VALUES (@WebhookId, @EventId, @Event, @DeliveryId, 'pending', 0, @Now, @Now)
        RETURNING {WebhookDeliveryRow.Columns};
        """;

    /// <summary>Queues <paramref name="event"/> for every active webhook subscribed to its type, in <paramref name="transaction"/>.</summary>
    public async Task EnqueueAsync(SqliteConnection connection, SqliteTransaction transaction, WebhookEvent @event, CancellationToken ct)
    {
        var subscribers = (await connection.QueryAsync<long>(
            new CommandDefinition(SubscribersSql, new { @event.Type }, transaction, cancellationToken: ct))).AsList();
        if (subscribers.Count == 0)
        {
            return;
        }

        var eventId = await InsertEventAsync(connection, transaction, @event, ct);
        foreach (var webhookId in subscribers)
        {
            await InsertDeliveryAsync(connection, transaction, webhookId, eventId, @event.Type, ct);
        }
    }

    /// <summary>Queues <paramref name="event"/> for one webhook, whatever it subscribes to (a ping); the queued delivery.</summary>
    public async Task<WebhookDeliveryRow> EnqueueForAsync(
        SqliteConnection connection, SqliteTransaction transaction, long webhookId, WebhookEvent @event, CancellationToken ct)
    {
        var eventId = await InsertEventAsync(connection, transaction, @event, ct);
        return await InsertDeliveryAsync(connection, transaction, webhookId, eventId, @event.Type, ct);
    }

    private async Task<string> InsertEventAsync(SqliteConnection connection, SqliteTransaction transaction, WebhookEvent @event, CancellationToken ct)
    {
        var envelope = new WebhookEnvelope(Guid.NewGuid().ToString(), @event.Type, clock.UtcNow, @event.Data);
        await connection.ExecuteAsync(new CommandDefinition(InsertEventSql, new
        {
            envelope.Id,
            envelope.Type,
            envelope.OccurredAt,
            Body = JsonSerializer.Serialize(envelope, TrackerJson.Options),
        }, transaction, cancellationToken: ct));
        return envelope.Id;
    }

    private async Task<WebhookDeliveryRow> InsertDeliveryAsync(
        SqliteConnection connection, SqliteTransaction transaction, long webhookId, string eventId, string type, CancellationToken ct)
    {
        var delivery = await connection.QuerySingleAsync<WebhookDeliveryRow>(new CommandDefinition(InsertDeliverySql, new
        {
            WebhookId = webhookId,
            EventId = eventId,
            Event = type,
            DeliveryId = Guid.NewGuid().ToString(),
            Now = clock.UtcNowText,
        }, transaction, cancellationToken: ct));
        // The dispatcher claims deliveries through the write gate this transaction holds, so waking it
        // now is safe: it runs once this transaction has committed (or finds nothing if it rolled back).
        signal.Wake();
        return delivery;
    }
}

/// <summary>Wakes the dispatcher when a delivery is queued, so it sends at once rather than at its next poll.</summary>
internal sealed class WebhookSignal : WakeSignal;
