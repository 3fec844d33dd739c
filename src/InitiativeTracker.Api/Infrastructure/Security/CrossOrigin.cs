using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace InitiativeTracker.Api.Infrastructure.Security;

/// <summary>The <c>Tracker:Cors</c> configuration section, validated at start-up.</summary>
public sealed class CorsOriginOptions
{
    public const string Section = "Tracker:Cors";

    /// <summary>Origins of the internal frontend (<c>https://tracker.example.edu</c>); none by default, never <c>*</c>.</summary>
    public string[] Origins { get; set; } = [];
}

/// <summary>
/// CORS for the internal frontend: only the configured origins, the methods and headers the API uses,
/// and the response headers a script needs to read (ETag for If-Match, Location after create, Retry-After).
/// </summary>
public static class CrossOrigin
{
    public static IServiceCollection AddTrackerCors(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CorsOriginOptions>()
            .Bind(configuration.GetSection(CorsOriginOptions.Section))
            .Validate(o => o.Origins.All(IsOrigin),
                "Tracker:Cors:Origins must list origins such as 'https://tracker.example.edu' (scheme and host, an optional port, no path); '*' is not allowed.")
            .ValidateOnStart();
        services.AddCors();
        services.AddOptions<CorsOptions>().Configure<IOptions<CorsOriginOptions>>((cors, tracker) =>
            cors.AddDefaultPolicy(policy => policy
                .WithOrigins(tracker.Value.Origins)
                .WithMethods("GET", "POST", "PUT", "PATCH", "DELETE")
                .WithHeaders("Authorization", "X-Api-Key", "Content-Type", "Accept", "If-Match", "If-None-Match", "Idempotency-Key")
                .WithExposedHeaders("ETag", "Location", "Retry-After", "Idempotent-Replayed")
                .SetPreflightMaxAge(TimeSpan.FromMinutes(10))));
        return services;
    }

    /// <summary>
    /// With origins configured, marks every answer <c>Vary: Origin</c>: whether it carries
    /// <c>Access-Control-Allow-Origin</c>, and for which origin, depends on the request's <c>Origin</c>, so a
    /// shared cache must not serve one origin's answer (or the answer to a request without one) to another.
    /// The framework adds it only when more than one origin is allowed. Set just before the headers are
    /// sent, so errors and preflights (allowed or not) carry it too; without origins nothing varies.
    /// </summary>
    public static IApplicationBuilder UseVaryByOrigin(this IApplicationBuilder app)
    {
        if (app.ApplicationServices.GetRequiredService<IOptions<CorsOriginOptions>>().Value.Origins.Length == 0)
        {
            return app;
        }

        return app.Use((context, next) =>
        {
            context.Response.OnStarting(static state =>
            {
                var headers = ((HttpContext)state).Response.Headers;
                if (!headers.Vary.Any(value => value!.Split(',').Any(v => v.Trim().Equals(HeaderNames.Origin, StringComparison.OrdinalIgnoreCase))))
                {
                    headers.Append(HeaderNames.Vary, HeaderNames.Origin);
                }

                return Task.CompletedTask;
            }, context);
            return next(context);
        });
    }

    private static bool IsOrigin(string origin) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
        && string.Equals(origin, uri.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase);
}
