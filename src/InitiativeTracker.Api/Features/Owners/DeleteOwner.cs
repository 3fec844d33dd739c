using Dapper;
using InitiativeTracker.Api.Features.Initiatives;
using InitiativeTracker.Api.Infrastructure.Audit;
using InitiativeTracker.Api.Infrastructure.Auth;
using InitiativeTracker.Api.Infrastructure.Database;
using InitiativeTracker.Api.Infrastructure.Errors;
using InitiativeTracker.Api.Infrastructure.Http;
using InitiativeTracker.Api.Infrastructure.Time;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace InitiativeTracker.Api.Features.Owners;

internal sealed record DeleteOwnerCommand(long Id, long[]? IfMatch) : IRequest<bool>;

/// <summary>
/// An owner with open initiatives, who leads a task force, or whom an active lead API key acts for,
/// cannot be deleted (409). Otherwise the
/// owner is archived: gone from the API, but closed initiatives keep their owner for history.
/// </summary>
internal sealed class DeleteOwnerHandler(UnitOfWork writes, AuditTrail audit, TrackerClock clock)
    : IRequestHandler<DeleteOwnerCommand, bool>
{
    private static readonly string s_dependentsSql = $"""
        SELECT
            (SELECT COUNT(*) FROM initiatives WHERE owner_id = @Id AND status IN {OpenStatuses.Sql}) AS OpenInitiatives,
            (SELECT COUNT(*) FROM task_forces WHERE lead_id = @Id AND deleted_at IS NULL) AS LedTaskForces,
            (SELECT COUNT(*) FROM api_keys WHERE owner_id = @Id AND revoked_at IS NULL
                AND (expires_at IS NULL OR expires_at > @Now)) AS LeadKeys;
        """;

    private const string ArchiveSql = "UPDATE owners SET deleted_at = @Now, version = version + 1, updated_at = @Now WHERE id = @Id;";

    public Task<bool> Handle(DeleteOwnerCommand command, CancellationToken cancellationToken) =>
        writes.WriteAsync(async (connection, transaction) =>
        {
            var owner = await connection.QuerySingleOrDefaultAsync<OwnerResponse>(
                new CommandDefinition(OwnerResponse.SelectById, new { command.Id }, transaction, cancellationToken: cancellationToken));
            if (owner is null)
            {
                return false;
            }

            Preconditions.Check(command.IfMatch, owner.Version);
            var (openInitiatives, ledTaskForces, leadKeys) = await connection.QuerySingleAsync<(long, long, long)>(
                new CommandDefinition(s_dependentsSql, new { command.Id, Now = clock.UtcNowText }, transaction, cancellationToken: cancellationToken));
            if (openInitiatives > 0)
            {
                throw ProblemException.Conflict(
                    $"Owner {command.Id} holds {openInitiatives} open initiative(s); reassign, complete or cancel them first.");
            }

            if (ledTaskForces > 0)
            {
                throw ProblemException.Conflict(
                    $"Owner {command.Id} leads {ledTaskForces} task force(s); name another lead first.");
            }

            if (leadKeys > 0)
            {
                // A lead key acts for its owner: it must not outlive the owner it speaks for.
                throw ProblemException.Conflict(
                    $"Owner {command.Id} has {leadKeys} active lead API key(s); revoke them first.");
            }

            await connection.ExecuteAsync(new CommandDefinition(ArchiveSql, new { command.Id, Now = clock.UtcNowText }, transaction, cancellationToken: cancellationToken));
            await audit.RecordAsync(connection, transaction, AuditEntityType.Owner, owner.Id, AuditAction.Delete, owner, null, cancellationToken);
            return true;
        }, cancellationToken);
}

internal static class DeleteOwner
{
    public static void Map(RouteGroupBuilder group) => group.MapDelete("/{id:long}", Handle)
        .WithName("deleteOwner")
        .WithSummary("Delete an owner (409 while they hold open initiatives, lead a task force or have an active lead key)")
        .RequireAuthorization(Policies.Admin)
        .ProducesProblem(StatusCodes.Status409Conflict);

    private static async Task<Results<NoContent, NotFound>> Handle(
        long id, IfMatch ifMatch, IMediator mediator, CancellationToken ct) =>
        await mediator.Send(new DeleteOwnerCommand(id, ifMatch.Versions), ct)
            ? TypedResults.NoContent()
            : TypedResults.NotFound();
}
