using Dapper;
using InitiativeTracker.Api.Infrastructure.Audit;
using InitiativeTracker.Api.Infrastructure.Database;
using InitiativeTracker.Api.Infrastructure.Http;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace InitiativeTracker.Api.Features.Webhooks;

/// <summary>Queues a <c>ping</c> event to one webhook, whatever it subscribes to: a way to test a receiver.</summary>
internal sealed record PingWebhookCommand(long WebhookId) : IRequest<WebhookDeliveryResponse?>;

internal sealed class PingWebhookHandler(UnitOfWork writes, AuditTrail audit, WebhookOutbox outbox)
    : IRequestHandler<PingWebhookCommand, WebhookDeliveryResponse?>
{
    public Task<WebhookDeliveryResponse?> Handle(PingWebhookCommand command, CancellationToken cancellationToken) =>
        writes.WriteAsync(async (connection, transaction) =>
        {
            var webhook = await connection.QuerySingleOrDefaultAsync<WebhookRow>(
                new CommandDefinition(WebhookRow.SelectById, new { Id = command.WebhookId }, transaction, cancellationToken: cancellationToken));
            if (webhook is null)
            {
                return null;
            }

            webhook.EnsureActive();
            var delivery = await outbox.EnqueueForAsync(connection, transaction, webhook.Id, WebhookEvents.Pinged(webhook.Id), cancellationToken);
            await audit.RecordAsync(connection, transaction, AuditEntityType.Webhook, webhook.Id, AuditAction.Ping,
                null, new { delivery.DeliveryId }, cancellationToken);
            return delivery.ToResponse();
        }, cancellationToken);
}

internal static class PingWebhook
{
    public static void Map(RouteGroupBuilder group) => group.MapPost("/{id:long}/ping", Handle)
        .WithName("pingWebhook")
        .WithSummary("Send the webhook a ping event (202: it is queued; follow Location for the outcome)")
        .ProducesProblem(StatusCodes.Status409Conflict);

    private static async Task<Results<AcceptedAt<WebhookDeliveryResponse>, NotFound>> Handle(long id, IMediator mediator, CancellationToken ct) =>
        await mediator.Send(new PingWebhookCommand(id), ct) is { } delivery
            ? Resource.AcceptedAt(WebhookEndpoints.DeliveryPathOf(id, delivery.DeliveryId), delivery)
            : TypedResults.NotFound();
}
