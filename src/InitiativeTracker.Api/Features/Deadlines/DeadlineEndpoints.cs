using InitiativeTracker.Api.Features.Initiatives;
using InitiativeTracker.Api.Infrastructure.Auth;

namespace InitiativeTracker.Api.Features.Deadlines;

internal static class DeadlineEndpoints
{
    public static void MapDeadlineEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup($"{InitiativeEndpoints.Path}/{{id:long}}").WithTags("Deadlines").RequireAuthorization(Policies.Read);
        MoveDeadline.Map(group);
        ListDeadlineChanges.Map(group);
    }
}
