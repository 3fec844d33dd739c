using InitiativeTracker.Api.Infrastructure.Auth;

namespace InitiativeTracker.Api.Features.Owners;

internal static class OwnerEndpoints
{
    public static void MapOwnerEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/owners").WithTags("Owners").RequireAuthorization(Policies.Read);
        ListOwners.Map(group);
        GetOwner.Map(group);
        CreateOwner.Map(group);
        UpdateOwner.Map(group);
        DeleteOwner.Map(group);
    }
}
