using InitiativeTracker.Api.Infrastructure.Database;
using InitiativeTracker.Api.Infrastructure.Http;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace InitiativeTracker.Api.Features.Webhooks;

/// <summary>One delivery of a webhook, named by its <c>id</c> or its <c>deliveryId</c> (the Tracker-Delivery header).</summary>
internal sealed record GetWebhookDeliveryQuery(long WebhookId, string Delivery) : IRequest<WebhookDeliveryResponse?>;

internal sealed class GetWebhookDeliveryHandler(Db db) : IRequestHandler<GetWebhookDeliveryQuery, WebhookDeliveryResponse?>
{
    public async Task<WebhookDeliveryResponse?> Handle(GetWebhookDeliveryQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        var row = await DeliveryLookup.FindAsync(connection, null, query.WebhookId, query.Delivery, cancellationToken);
        return row?.ToResponse();
    }
}

internal static class GetWebhookDelivery
{
    public static void Map(RouteGroupBuilder group) => group.MapGet("/{id:long}/deliveries/{deliveryId}", Handle)
        .WithName("getWebhookDelivery")
        .WithSummary("Get one delivery, by its id or its deliveryId (the Tracker-Delivery header)");

    private static async Task<Results<Tagged<WebhookDeliveryResponse>, NotFound>> Handle(
        long id, string deliveryId, IMediator mediator, CancellationToken ct)
    {
        if (await mediator.Send(new GetWebhookDeliveryQuery(id, deliveryId), ct) is not { } delivery)
        {
            return TypedResults.NotFound();
        }

        return Resource.Ok(delivery);
    }
}
