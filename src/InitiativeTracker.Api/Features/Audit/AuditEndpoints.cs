using InitiativeTracker.Api.Infrastructure.Auth;

namespace InitiativeTracker.Api.Features.Audit;

internal static class AuditEndpoints
{
    public static void MapAuditEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/audit").WithTags("Audit").RequireAuthorization(Policies.ReadAudit);
        ListAuditEntries.Map(group);
    }
}
