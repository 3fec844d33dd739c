using InitiativeTracker.Api.Infrastructure.Database;
using InitiativeTracker.Api.Infrastructure.Http;
using InitiativeTracker.Api.Infrastructure.Time;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace InitiativeTracker.Api.Features.Initiatives;

internal sealed record GetInitiativeQuery(long Id) : IRequest<InitiativeResponse?>;

internal sealed class GetInitiativeHandler(Db db, TrackerClock clock) : IRequestHandler<GetInitiativeQuery, InitiativeResponse?>
{
    public async Task<InitiativeResponse?> Handle(GetInitiativeQuery query, CancellationToken cancellationToken)
    {
        var row = await db.QueryByIdAsync<InitiativeRow>(InitiativeRow.SelectById, query.Id, cancellationToken);
        return row?.ToResponse(clock.Today);
    }
}

internal static class GetInitiative
{
    public static void Map(RouteGroupBuilder group) => group.MapGet("/{id:long}", Handle)
        .WithName("getInitiative")
        .WithSummary("Get an initiative with its derived fields");

    private static async Task<Results<Tagged<InitiativeResponse>, NotFound>> Handle(long id, IMediator mediator, CancellationToken ct)
    {
        var initiative = await mediator.Send(new GetInitiativeQuery(id), ct);
        if (initiative is null)
        {
            return TypedResults.NotFound();
        }

        return Resource.Ok(initiative);
    }
}
