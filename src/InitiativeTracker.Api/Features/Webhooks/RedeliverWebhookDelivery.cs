using Dapper;
using InitiativeTracker.Api.Infrastructure.Audit;
using InitiativeTracker.Api.Infrastructure.Database;
using InitiativeTracker.Api.Infrastructure.Http;
using InitiativeTracker.Api.Infrastructure.Time;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace InitiativeTracker.Api.Features.Webhooks;

/// <summary>
/// Queues a delivery to be sent again now, whatever became of it, with the same <c>deliveryId</c> (so a
/// receiver that already has it can tell) and a fresh budget of attempts.
/// </summary>
internal sealed record RedeliverWebhookDeliveryCommand(long WebhookId, string Delivery) : IRequest<WebhookDeliveryResponse?>;

internal sealed class RedeliverWebhookDeliveryHandler(UnitOfWork writes, AuditTrail audit, TrackerClock clock, WebhookSignal signal)
    : IRequestHandler<RedeliverWebhookDeliveryCommand, WebhookDeliveryResponse?>
{
    private const string RequeueSql = $"""
        UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_attempt_at = @Now, version = version + 1
        WHERE id = @Id
        RETURNING {WebhookDeliveryRow.Columns};
        """;

    public Task<WebhookDeliveryResponse?> Handle(RedeliverWebhookDeliveryCommand command, CancellationToken cancellationToken) =>
        writes.WriteAsync(async (connection, transaction) =>
        {
            var webhook = await connection.QuerySingleOrDefaultAsync<WebhookRow>(
                new CommandDefinition(WebhookRow.SelectById, new { Id = command.WebhookId }, transaction, cancellationToken: cancellationToken));
            var delivery = webhook is null
                ? null
                : await DeliveryLookup.FindAsync(connection, transaction, command.WebhookId, command.Delivery, cancellationToken);
            if (webhook is null || delivery is null)
            {
                return null;
            }

            webhook.EnsureActive();
            var requeued = await connection.QuerySingleAsync<WebhookDeliveryRow>(
                new CommandDefinition(RequeueSql, new { delivery.Id, Now = clock.UtcNowText }, transaction, cancellationToken: cancellationToken));
            await audit.RecordAsync(connection, transaction, AuditEntityType.Webhook, webhook.Id, AuditAction.Redeliver,
                null, new { requeued.DeliveryId }, cancellationToken);
            signal.Wake();
            return requeued.ToResponse();
        }, cancellationToken);
}

internal static class RedeliverWebhookDelivery
{
    public static void Map(RouteGroupBuilder group) => group.MapPost("/{id:long}/deliveries/{deliveryId}/redeliver", Handle)
        .WithName("redeliverWebhookDelivery")
        .WithSummary("Send a delivery again, with the same deliveryId (202: it is queued)")
        .ProducesProblem(StatusCodes.Status409Conflict);

    private static async Task<Results<AcceptedAt<WebhookDeliveryResponse>, NotFound>> Handle(
        long id, string deliveryId, IMediator mediator, CancellationToken ct) =>
        await mediator.Send(new RedeliverWebhookDeliveryCommand(id, deliveryId), ct) is { } delivery
            ? Resource.AcceptedAt(WebhookEndpoints.DeliveryPathOf(id, delivery.DeliveryId), delivery)
            : TypedResults.NotFound();
}
