using InitiativeTracker.Api.Infrastructure.Database;
using InitiativeTracker.Api.Infrastructure.Http;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace InitiativeTracker.Api.Features.Meetings;

internal sealed record GetMeetingQuery(long Id) : IRequest<MeetingResponse?>;

internal sealed class GetMeetingHandler(Db db) : IRequestHandler<GetMeetingQuery, MeetingResponse?>
{
    public Task<MeetingResponse?> Handle(GetMeetingQuery query, CancellationToken cancellationToken) =>
        db.QueryByIdAsync<MeetingResponse>(MeetingResponse.SelectById, query.Id, cancellationToken);
}

internal static class GetMeeting
{
    public static void Map(RouteGroupBuilder group) => group.MapGet("/{id:long}", Handle)
        .WithName("getMeeting")
        .WithSummary("Get a meeting");

    private static async Task<Results<Tagged<MeetingResponse>, NotFound>> Handle(long id, IMediator mediator, CancellationToken ct)
    {
        var meeting = await mediator.Send(new GetMeetingQuery(id), ct);
        if (meeting is null)
        {
            return TypedResults.NotFound();
        }

        return Resource.Ok(meeting);
    }
}
