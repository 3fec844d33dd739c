using Dapper;
using InitiativeTracker.Api.Infrastructure.Audit;
using InitiativeTracker.Api.Infrastructure.Auth;
using InitiativeTracker.Api.Infrastructure.Database;
using InitiativeTracker.Api.Infrastructure.Errors;
using InitiativeTracker.Api.Infrastructure.Http;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace InitiativeTracker.Api.Features.Directions;

internal sealed record DeleteDirectionCommand(long Id, long[]? IfMatch) : IRequest<bool>;

/// <summary>A direction that initiatives derive from cannot be deleted (409).</summary>
internal sealed class DeleteDirectionHandler(UnitOfWork writes, AuditTrail audit) : IRequestHandler<DeleteDirectionCommand, bool>
{
    private const string InitiativesSql = "SELECT COUNT(*) FROM initiatives WHERE direction_id = @Id;";
    private const string DeleteSql = "DELETE FROM directions WHERE id = @Id;";

    public Task<bool> Handle(DeleteDirectionCommand command, CancellationToken cancellationToken) =>
        writes.WriteAsync(async (connection, transaction) =>
        {
            var direction = await connection.QuerySingleOrDefaultAsync<DirectionResponse>(
                new CommandDefinition(DirectionResponse.SelectById, new { command.Id }, transaction, cancellationToken: cancellationToken));
            if (direction is null)
            {
                return false;
            }

            Preconditions.Check(command.IfMatch, direction.Version);
            var initiatives = await connection.ExecuteScalarAsync<long>(
                new CommandDefinition(InitiativesSql, new { command.Id }, transaction, cancellationToken: cancellationToken));
            if (initiatives > 0)
            {
                throw ProblemException.Conflict($"Direction {command.Id} has {initiatives} initiative(s) derived from it; it cannot be deleted.");
            }

            await connection.ExecuteAsync(new CommandDefinition(DeleteSql, new { command.Id }, transaction, cancellationToken: cancellationToken));
            await audit.RecordAsync(connection, transaction, AuditEntityType.Direction, direction.Id, AuditAction.Delete, direction, null, cancellationToken);
            return true;
        }, cancellationToken);
}

internal static class DeleteDirection
{
    public static void Map(RouteGroupBuilder group) => group.MapDelete("/{id:long}", Handle)
        .WithName("deleteDirection")
        .WithSummary("Delete a direction (409 while initiatives derive from it)")
        .RequireAuthorization(Policies.Admin)
        .ProducesProblem(StatusCodes.Status409Conflict);

    private static async Task<Results<NoContent, NotFound>> Handle(
        long id, IfMatch ifMatch, IMediator mediator, CancellationToken ct) =>
        await mediator.Send(new DeleteDirectionCommand(id, ifMatch.Versions), ct)
            ? TypedResults.NoContent()
            : TypedResults.NotFound();
}
