using InitiativeTracker.Api.Infrastructure.Auth;

namespace InitiativeTracker.Api.Features.Reports;

internal static class ReportEndpoints
{
    public static void MapReportEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/reports").WithTags("Reports").RequireAuthorization(Policies.Read);
        OverdueReportEndpoint.Map(group);
        UpcomingReportEndpoint.Map(group);
        ProgressReportEndpoint.Map(group);
        ExecutionReportEndpoint.Map(group);
        TrendReportEndpoint.Map(group);
    }
}
