using InitiativeTracker.Api.Infrastructure.Database;
using InitiativeTracker.Api.Infrastructure.Http;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace InitiativeTracker.Api.Features.Owners;

internal sealed record GetOwnerQuery(long Id) : IRequest<OwnerResponse?>;

internal sealed class GetOwnerHandler(Db db) : IRequestHandler<GetOwnerQuery, OwnerResponse?>
{
    public Task<OwnerResponse?> Handle(GetOwnerQuery query, CancellationToken cancellationToken) =>
        db.QueryByIdAsync<OwnerResponse>(OwnerResponse.SelectById, query.Id, cancellationToken);
}

internal static class GetOwner
{
    public static void Map(RouteGroupBuilder group) => group.MapGet("/{id:long}", Handle)
        .WithName("getOwner")
        .WithSummary("Get an owner");

    private static async Task<Results<Tagged<OwnerResponse>, NotFound>> Handle(long id, IMediator mediator, CancellationToken ct)
    {
        var owner = await mediator.Send(new GetOwnerQuery(id), ct);
        if (owner is null)
        {
            return TypedResults.NotFound();
        }

        return Resource.Ok(owner);
    }
}
