using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace InitiativeTracker.Api.Infrastructure.Security;

/// <summary>The <c>Tracker:RateLimit</c> configuration section, validated at start-up.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "Tracker:RateLimit";

    /// <summary>Requests each API key (or, without a valid key, each client address) may make per minute.</summary>
    [Range(1, 10_000_000)]
    public int PermitsPerMinute { get; set; } = 600;
}

/// <summary>
/// Per-key rate limiting with the built-in limiter: a fixed one-minute window per key name (per client
/// address for requests without a valid key). A rejection is a 429 problem with <c>Retry-After</c>.
/// Health and the OpenAPI document opt out with <c>DisableRateLimiting()</c>; Swagger UI is served
/// before the limiter.
/// </summary>
public static class RateLimiting
{
    public static IServiceCollection AddTrackerRateLimiting(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RateLimitOptions>()
            .Bind(configuration.GetSection(RateLimitOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>>((limiter, tracker) =>
        {
            var permits = tracker.Value.PermitsPerMinute;
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                RateLimitPartition.GetFixedWindowLimiter(PartitionKey(context), _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = permits,
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                }));
            limiter.OnRejected = (context, ct) => RejectAsync(context, permits);
        });
        return services;
    }

    /// <summary>Documents the 429 every endpoint of the group may answer (the limiter is global; health opts out).</summary>
    public static RouteGroupBuilder WithRateLimitProblem(this RouteGroupBuilder group) => group.ProducesProblem(StatusCodes.Status429TooManyRequests);

    /// <summary>Key names are unique, so the name identifies the key without touching its secret.</summary>
    private static string PartitionKey(HttpContext context) =>
        context.User.Identity is { IsAuthenticated: true, Name: { } name }
            ? "key:" + name
            : "address:" + context.Connection.RemoteIpAddress;

    private static async ValueTask RejectAsync(OnRejectedContext context, int permits)
    {
        var wait = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromMinutes(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        var http = context.HttpContext;
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await TypedResults.Problem(
            string.Create(CultureInfo.InvariantCulture, $"At most {permits} requests a minute are allowed per API key; retry after {seconds} seconds."),
            statusCode: StatusCodes.Status429TooManyRequests).ExecuteAsync(http);
    }
}
