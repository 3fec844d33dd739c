using System.Globalization;
using Dapper;
using InitiativeTracker.Api.Infrastructure.Database;
using InitiativeTracker.Api.Infrastructure.Http;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Data.Sqlite;

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

internal static class DeliveryLookup
{
    private const string Sql = $"""
        SELECT {WebhookDeliveryRow.Columns} FROM webhook_deliveries
        WHERE webhook_id = @WebhookId AND (id = @Id OR delivery_id = @DeliveryId);
        """;

    /// <summary>The delivery a route names: digits are its <c>id</c>, anything else its <c>deliveryId</c>.</summary>
    public static Task<WebhookDeliveryRow?> FindAsync(
        SqliteConnection connection, SqliteTransaction? transaction, long webhookId, string delivery, CancellationToken ct)
    {
        long? id = long.TryParse(delivery, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : null;
        return connection.QuerySingleOrDefaultAsync<WebhookDeliveryRow>(new CommandDefinition(Sql, new
        {
            WebhookId = webhookId,
            Id = id,
            DeliveryId = id is null ? delivery.ToLowerInvariant() : null,
        }, transaction, cancellationToken: ct));
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
