using Dapper;
using InitiativeTracker.Api.Infrastructure.Database;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace InitiativeTracker.Api.Features.CheckIns;

internal sealed record GetCheckInQuery(long InitiativeId, long CheckInId) : IRequest<CheckInResponse?>;

internal sealed class GetCheckInHandler(Db db) : IRequestHandler<GetCheckInQuery, CheckInResponse?>
{
    private const string Sql = $"SELECT {CheckInRow.Columns} FROM check_ins WHERE id = @CheckInId AND initiative_id = @InitiativeId;";

    public async Task<CheckInResponse?> Handle(GetCheckInQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<CheckInRow>(new CommandDefinition(Sql, query, cancellationToken: cancellationToken));
        return row?.ToResponse();
    }
}

internal static class GetCheckIn
{
    public static void Map(RouteGroupBuilder group) => group.MapGet("/{checkInId:long}", Handle)
        .WithName("getCheckIn")
        .WithSummary("Get one check-in of an initiative");

    private static async Task<Results<Ok<CheckInResponse>, NotFound>> Handle(long id, long checkInId, IMediator mediator, CancellationToken ct) =>
        await mediator.Send(new GetCheckInQuery(id, checkInId), ct) is { } checkIn
            ? TypedResults.Ok(checkIn)
            : TypedResults.NotFound();
}
