using Dapper;
using InitiativeTracker.Api.Features.Initiatives;
using InitiativeTracker.Api.Infrastructure.Audit;
using InitiativeTracker.Api.Infrastructure.Auth;
using InitiativeTracker.Api.Infrastructure.Database;
using InitiativeTracker.Api.Infrastructure.Http;
using InitiativeTracker.Api.Infrastructure.Time;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace InitiativeTracker.Api.Features.TaskForces;

internal sealed record DeleteTaskForceCommand(long Id, long[]? IfMatch) : IRequest<bool>;

/// <summary>
/// Dissolves a task force: its open initiatives are detached from it (each change audited), closed
/// ones keep it so execution reports by task force stay whole, and the task force is archived.
/// </summary>
internal sealed class DeleteTaskForceHandler(UnitOfWork writes, AuditTrail audit, TrackerClock clock)
    : IRequestHandler<DeleteTaskForceCommand, bool>
{
    private static readonly string s_detachSql = $"""
        UPDATE initiatives SET task_force_id = NULL, version = version + 1, updated_at = @Now
        WHERE task_force_id = @Id AND status IN {OpenStatuses.Sql}
        RETURNING id;
        """;

    private const string ArchiveSql = "UPDATE task_forces SET deleted_at = @Now, version = version + 1, updated_at = @Now WHERE id = @Id;";

    public Task<bool> Handle(DeleteTaskForceCommand command, CancellationToken cancellationToken) =>
        writes.WriteAsync(async (connection, transaction) =>
        {
            var taskForce = await connection.QuerySingleOrDefaultAsync<TaskForceResponse>(
                new CommandDefinition(TaskForceResponse.SelectById, new { command.Id }, transaction, cancellationToken: cancellationToken));
            if (taskForce is null)
            {
                return false;
            }

            Preconditions.Check(command.IfMatch, taskForce.Version);
            var now = clock.UtcNowText;
            var detached = await connection.QueryAsync<long>(
                new CommandDefinition(s_detachSql, new { command.Id, Now = now }, transaction, cancellationToken: cancellationToken));
            foreach (var initiativeId in detached)
            {
                await audit.RecordAsync(connection, transaction, AuditEntityType.Initiative, initiativeId, AuditAction.Update,
                    new { taskForceId = command.Id }, new { taskForceId = (long?)null }, cancellationToken);
            }

            await connection.ExecuteAsync(new CommandDefinition(ArchiveSql, new { command.Id, Now = now }, transaction, cancellationToken: cancellationToken));
            await audit.RecordAsync(connection, transaction, AuditEntityType.TaskForce, taskForce.Id, AuditAction.Delete, taskForce, null, cancellationToken);
            return true;
        }, cancellationToken);
}

internal static class DeleteTaskForce
{
    public static void Map(RouteGroupBuilder group) => group.MapDelete("/{id:long}", Handle)
        .WithName("deleteTaskForce")
        .WithSummary("Dissolve a task force; its open initiatives are detached, closed ones keep it for history")
        .RequireAuthorization(Policies.Admin);

    private static async Task<Results<NoContent, NotFound>> Handle(
        long id, IfMatch ifMatch, IMediator mediator, CancellationToken ct) =>
        await mediator.Send(new DeleteTaskForceCommand(id, ifMatch.Versions), ct)
            ? TypedResults.NoContent()
            : TypedResults.NotFound();
}
