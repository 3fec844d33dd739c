using Dapper;
using InitiativeTracker.Api.Infrastructure.Audit;
using InitiativeTracker.Api.Infrastructure.Database;
using InitiativeTracker.Api.Infrastructure.Http;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace InitiativeTracker.Api.Features.Email;

internal sealed record DeleteEmailSubscriptionCommand(long Id, long[]? IfMatch) : IRequest<bool>;

/// <summary>Removes a subscription; its digests already in the outbox stay listed there (and are still sent if queued).</summary>
internal sealed class DeleteEmailSubscriptionHandler(UnitOfWork writes, AuditTrail audit) : IRequestHandler<DeleteEmailSubscriptionCommand, bool>
{
    public Task<bool> Handle(DeleteEmailSubscriptionCommand command, CancellationToken cancellationToken) =>
        writes.WriteAsync((connection, transaction) =>
            EmailSubscriptionRemoval.RemoveAsync(connection, transaction, audit, command.Id, command.IfMatch, cancellationToken), cancellationToken);
}

internal static class DeleteEmailSubscription
{
    public static void Map(RouteGroupBuilder group) => group.MapDelete("/{id:long}", Handle)
        .WithName("deleteEmailSubscription")
        .WithSummary("Delete an email subscription");

    private static async Task<Results<NoContent, NotFound>> Handle(long id, IfMatch ifMatch, IMediator mediator, CancellationToken ct) =>
        await mediator.Send(new DeleteEmailSubscriptionCommand(id, ifMatch.Versions), ct) ? TypedResults.NoContent() : TypedResults.NotFound();
}

/// <summary>Deleting a subscription, as its endpoint and its unsubscribe link both do.</summary>
internal static class EmailSubscriptionRemoval
{
    private const string DeleteSql = "DELETE FROM email_subscriptions WHERE id = @Id;";

    /// <summary>False when there is no such subscription.</summary>
    public static async Task<bool> RemoveAsync(
        Microsoft.Data.Sqlite.SqliteConnection connection, Microsoft.Data.Sqlite.SqliteTransaction transaction, AuditTrail audit,
        long id, long[]? ifMatch, CancellationToken ct)
    {
        var row = await connection.QuerySingleOrDefaultAsync<EmailSubscriptionResponse>(
            new CommandDefinition(EmailSubscriptionResponse.SelectById, new { Id = id }, transaction, cancellationToken: ct));
        if (row is null)
        {
            return false;
        }

        Preconditions.Check(ifMatch, row.Version);
        await connection.ExecuteAsync(new CommandDefinition(DeleteSql, new { Id = id }, transaction, cancellationToken: ct));
        await audit.RecordAsync(connection, transaction, AuditEntityType.EmailSubscription, id, AuditAction.Delete, row, null, ct);
        return true;
    }
}
