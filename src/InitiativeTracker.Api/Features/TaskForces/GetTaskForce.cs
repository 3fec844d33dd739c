using InitiativeTracker.Api.Infrastructure.Database;
using InitiativeTracker.Api.Infrastructure.Http;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace InitiativeTracker.Api.Features.TaskForces;

internal sealed record GetTaskForceQuery(long Id) : IRequest<TaskForceResponse?>;

internal sealed class GetTaskForceHandler(Db db) : IRequestHandler<GetTaskForceQuery, TaskForceResponse?>
{
    public Task<TaskForceResponse?> Handle(GetTaskForceQuery query, CancellationToken cancellationToken) =>
        db.QueryByIdAsync<TaskForceResponse>(TaskForceResponse.SelectById, query.Id, cancellationToken);
}

internal static class GetTaskForce
{
    public static void Map(RouteGroupBuilder group) => group.MapGet("/{id:long}", Handle)
        .WithName("getTaskForce")
        .WithSummary("Get a task force");

    private static async Task<Results<Tagged<TaskForceResponse>, NotFound>> Handle(long id, IMediator mediator, CancellationToken ct)
    {
        var taskForce = await mediator.Send(new GetTaskForceQuery(id), ct);
        if (taskForce is null)
        {
            return TypedResults.NotFound();
        }

        return Resource.Ok(taskForce);
    }
}
