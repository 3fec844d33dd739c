using System.Globalization;
using InitiativeTracker.Api.Features.Initiatives;
using InitiativeTracker.Api.Infrastructure.Auth;

namespace InitiativeTracker.Api.Features.CheckIns;

internal static class CheckInEndpoints
{
    public static void MapCheckInEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup($"{InitiativeEndpoints.Path}/{{id:long}}/check-ins").WithTags("Check-ins").RequireAuthorization(Policies.Read);
        ListCheckIns.Map(group);
        GetCheckIn.Map(group);
        CreateCheckIn.Map(group);
    }

    public static string PathOf(long initiativeId, long checkInId) => $"{InitiativeEndpoints.BasePath}/{initiativeId}/check-ins/{checkInId}";

    /// <summary>
    /// A check-in's ETag: it never changes, so the tag is fixed, and it is <c>"c42"</c> rather than a
    /// quoted number, so it cannot pass for the initiative's ETag (which a check-in POST's If-Match names).
    /// </summary>
    public static string ETagOf(long checkInId) => $"\"c{checkInId.ToString(CultureInfo.InvariantCulture)}\"";
}
