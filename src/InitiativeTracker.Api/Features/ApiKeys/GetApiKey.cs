using Dapper;
using InitiativeTracker.Api.Infrastructure.Database;
using InitiativeTracker.Api.Infrastructure.Http;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace InitiativeTracker.Api.Features.ApiKeys;

internal sealed record GetApiKeyQuery(long Id) : IRequest<ApiKeyResponse?>;

internal sealed class GetApiKeyHandler(Db db) : IRequestHandler<GetApiKeyQuery, ApiKeyResponse?>
{
    public async Task<ApiKeyResponse?> Handle(GetApiKeyQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<ApiKeyResponse>(new CommandDefinition(ApiKeyResponse.SelectById, query, cancellationToken: cancellationToken));
    }
}

internal static class GetApiKey
{
    public static void Map(RouteGroupBuilder group) => group.MapGet("/{id:long}", Handle)
        .WithName("getApiKey")
        .WithSummary("Get an API key's metadata (never its secret)");

    private static async Task<Results<Tagged<ApiKeyResponse>, NotFound>> Handle(long id, IMediator mediator, CancellationToken ct)
    {
        var key = await mediator.Send(new GetApiKeyQuery(id), ct);
        if (key is null)
        {
            return TypedResults.NotFound();
        }

        return Resource.Ok(key);
    }
}
