using Dapper;
using InitiativeTracker.Api.Infrastructure.Audit;
using InitiativeTracker.Api.Infrastructure.Auth;
using InitiativeTracker.Api.Infrastructure.Database;
using InitiativeTracker.Api.Infrastructure.Http;
using InitiativeTracker.Api.Infrastructure.Time;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace InitiativeTracker.Api.Features.ApiKeys;

internal sealed record RevokeApiKeyCommand(long Id, long[]? IfMatch) : IRequest<bool>;

/// <summary>
/// Revokes a key at once: the row stays (marked revoked, its name still taken) so the audit trail keeps
/// meaning, and the key never authenticates again. Revoking a revoked key changes nothing.
/// </summary>
internal sealed class RevokeApiKeyHandler(UnitOfWork writes, AuditTrail audit, TrackerClock clock, ApiKeyResolver keys, ILogger<RevokeApiKeyHandler> logger)
    : IRequestHandler<RevokeApiKeyCommand, bool>
{
    private const string RevokeSql = "UPDATE api_keys SET revoked_at = @RevokedAt, version = @Version WHERE id = @Id;";

    public async Task<bool> Handle(RevokeApiKeyCommand command, CancellationToken cancellationToken)
    {
        var revoked = await writes.WriteAsync(async (connection, transaction) =>
        {
            var before = await connection.QuerySingleOrDefaultAsync<ApiKeyResponse>(
                new CommandDefinition(ApiKeyResponse.SelectById, new { command.Id }, transaction, cancellationToken: cancellationToken));
            if (before is null)
            {
                return null;
            }

            Preconditions.Check(command.IfMatch, before.Version);
            if (before.RevokedAt is not null)
            {
                return before;
            }

            var after = before with { RevokedAt = clock.UtcNow, Version = before.Version + 1 };
            await connection.ExecuteAsync(new CommandDefinition(RevokeSql, after, transaction, cancellationToken: cancellationToken));
            await audit.RecordAsync(connection, transaction, AuditEntityType.ApiKey, after.Id, AuditAction.Revoke, before, after, cancellationToken);
            return after;
        }, cancellationToken);

        if (revoked is null)
        {
            return false;
        }

        // After the commit, so no request can re-cache the key from a read that preceded it.
        keys.Invalidate();
        logger.LogInformation("Revoked API key {KeyName} (id {KeyId})", revoked.Name, revoked.Id);
        return true;
    }
}

internal static class RevokeApiKey
{
    public static void Map(RouteGroupBuilder group) => group.MapDelete("/{id:long}", Handle)
        .WithName("revokeApiKey")
        .WithSummary("Revoke an API key at once (the record stays, marked revoked)");

    private static async Task<Results<NoContent, NotFound>> Handle(
        long id, IfMatch ifMatch, IMediator mediator, CancellationToken ct) =>
        await mediator.Send(new RevokeApiKeyCommand(id, ifMatch.Versions), ct)
            ? TypedResults.NoContent()
            : TypedResults.NotFound();
}
