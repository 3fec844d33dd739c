using InitiativeTracker.Api.Infrastructure.Database;
using InitiativeTracker.Api.Infrastructure.Http;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace InitiativeTracker.Api.Features.Directions;

internal sealed record GetDirectionQuery(long Id) : IRequest<DirectionResponse?>;

internal sealed class GetDirectionHandler(Db db) : IRequestHandler<GetDirectionQuery, DirectionResponse?>
{
    public Task<DirectionResponse?> Handle(GetDirectionQuery query, CancellationToken cancellationToken) =>
        db.QueryByIdAsync<DirectionResponse>(DirectionResponse.SelectById, query.Id, cancellationToken);
}

internal static class GetDirection
{
    public static void Map(RouteGroupBuilder group) => group.MapGet("/{id:long}", Handle)
        .WithName("getDirection")
        .WithSummary("Get a strategic direction");

    private static async Task<Results<Tagged<DirectionResponse>, NotFound>> Handle(long id, IMediator mediator, CancellationToken ct)
    {
        var direction = await mediator.Send(new GetDirectionQuery(id), ct);
        if (direction is null)
        {
            return TypedResults.NotFound();
        }

        return Resource.Ok(direction);
    }
}
