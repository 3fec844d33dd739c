using Dapper;
using InitiativeTracker.Api.Infrastructure.Audit;
using InitiativeTracker.Api.Infrastructure.Database;
using InitiativeTracker.Api.Infrastructure.Http;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace InitiativeTracker.Api.Features.Webhooks;

internal sealed record DeleteWebhookCommand(long Id, long[]? IfMatch) : IRequest<bool>;

/// <summary>Removes a webhook with its deliveries, sent or queued.</summary>
internal sealed class DeleteWebhookHandler(UnitOfWork writes, AuditTrail audit) : IRequestHandler<DeleteWebhookCommand, bool>
{
    private const string DeleteSql = "DELETE FROM webhooks WHERE id = @Id;";

    public Task<bool> Handle(DeleteWebhookCommand command, CancellationToken cancellationToken) =>
        writes.WriteAsync(async (connection, transaction) =>
        {
            var row = await connection.QuerySingleOrDefaultAsync<WebhookRow>(
                new CommandDefinition(WebhookRow.SelectById, new { command.Id }, transaction, cancellationToken: cancellationToken));
            if (row is null)
            {
                return false;
            }

            Preconditions.Check(command.IfMatch, row.Version);
            await connection.ExecuteAsync(new CommandDefinition(DeleteSql, new { command.Id }, transaction, cancellationToken: cancellationToken));
            await audit.RecordAsync(connection, transaction, AuditEntityType.Webhook, row.Id, AuditAction.Delete, row.ToResponse(), null, cancellationToken);
            return true;
        }, cancellationToken);
}

internal static class DeleteWebhook
{
    public static void Map(RouteGroupBuilder group) => group.MapDelete("/{id:long}", Handle)
        .WithName("deleteWebhook")
        .WithSummary("Delete a webhook and its deliveries");

    private static async Task<Results<NoContent, NotFound>> Handle(
        long id, IfMatch ifMatch, IMediator mediator, CancellationToken ct) =>
        await mediator.Send(new DeleteWebhookCommand(id, ifMatch.Versions), ct)
            ? TypedResults.NoContent()
            : TypedResults.NotFound();
}
