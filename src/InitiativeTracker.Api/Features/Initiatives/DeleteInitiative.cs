using Dapper;
using InitiativeTracker.Api.Features.Webhooks;
using InitiativeTracker.Api.Infrastructure.Audit;
using InitiativeTracker.Api.Infrastructure.Auth;
using InitiativeTracker.Api.Infrastructure.Database;
using InitiativeTracker.Api.Infrastructure.Http;
using InitiativeTracker.Api.Infrastructure.Time;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace InitiativeTracker.Api.Features.Initiatives;

internal sealed record DeleteInitiativeCommand(long Id, long[]? IfMatch) : IRequest<bool>;

/// <summary>
/// Erases an initiative with its check-ins and deadline moves; the audit trail keeps the record.
/// Cancelling is preferred, so the spec's role table gives leads no delete: the endpoint admits admins only,
/// and there is no lead scope to check here.
/// </summary>
internal sealed class DeleteInitiativeHandler(UnitOfWork writes, AuditTrail audit, TrackerClock clock, WebhookOutbox webhooks)
    : IRequestHandler<DeleteInitiativeCommand, bool>
{
    private const string DeleteSql = "DELETE FROM initiatives WHERE id = @Id;";

    public Task<bool> Handle(DeleteInitiativeCommand command, CancellationToken cancellationToken) =>
        writes.WriteAsync(async (connection, transaction) =>
        {
            var row = await connection.QuerySingleOrDefaultAsync<InitiativeRow>(
                new CommandDefinition(InitiativeRow.SelectById, new { command.Id }, transaction, cancellationToken: cancellationToken));
            if (row is null)
            {
                return false;
            }

            Preconditions.Check(command.IfMatch, row.Version);
            await connection.ExecuteAsync(new CommandDefinition(DeleteSql, new { command.Id }, transaction, cancellationToken: cancellationToken));
            await audit.RecordAsync(connection, transaction, AuditEntityType.Initiative, row.Id, AuditAction.Delete, row, null, cancellationToken);
            await webhooks.EnqueueAsync(connection, transaction, WebhookEvents.Deleted(row.ToResponse(clock.Today)), cancellationToken);
            return true;
        }, cancellationToken);
}

internal static class DeleteInitiative
{
    public static void Map(RouteGroupBuilder group) => group.MapDelete("/{id:long}", Handle)
        .WithName("deleteInitiative")
        .WithSummary("Delete an initiative and its history (cancelling it with a check-in is preferred)")
        .WithDescription("Erases the initiative with its check-ins and deadline moves; the audit trail keeps what was deleted. "
            + "Leads cannot delete: they cancel with a check-in (`POST /api/v1/initiatives/{id}/check-ins` with `status: cancelled`), "
            + "which keeps the history.")
        .RequireAuthorization(Policies.Admin);

    private static async Task<Results<NoContent, NotFound>> Handle(
        long id, IfMatch ifMatch, IMediator mediator, CancellationToken ct) =>
        await mediator.Send(new DeleteInitiativeCommand(id, ifMatch.Versions), ct)
            ? TypedResults.NoContent()
            : TypedResults.NotFound();
}
