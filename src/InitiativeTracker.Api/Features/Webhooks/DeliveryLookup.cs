using System.Globalization;
using Dapper;
using Microsoft.Data.Sqlite;

namespace InitiativeTracker.Api.Features.Webhooks;

/// <summary>Finds the delivery a route names, for reading it (GET) and for sending it again (redeliver).</summary>
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
