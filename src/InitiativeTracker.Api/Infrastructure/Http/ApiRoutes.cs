using InitiativeTracker.Api.Infrastructure.Errors;
using InitiativeTracker.Api.Infrastructure.Idempotency;
using InitiativeTracker.Api.Infrastructure.Security;

namespace InitiativeTracker.Api.Infrastructure.Http;

/// <summary>
/// The API's route group, <c>/api/v1</c>, and what holds for every endpoint in it: its input may be
/// refused (400), its request limits (413, 414, 415) and rate limit (429) apply, its POSTs take an
/// Idempotency-Key, and its writes may meet a storage fault (503, 507). Each convention lives beside the behaviour it documents.
/// </summary>
public static class ApiRoutes
{
    public const string Prefix = "/api/v1";

    public static RouteGroupBuilder MapApi(this IEndpointRouteBuilder app) =>
        app.MapGroup(Prefix)
            .ProducesValidationProblem()
            .WithRequestLimits()
            .WithRateLimitProblem()
            .WithIdempotentPosts()
            .WithStorageFaults();
}
