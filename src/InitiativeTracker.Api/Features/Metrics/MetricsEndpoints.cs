using InitiativeTracker.Api.Infrastructure.Auth;
using InitiativeTracker.Api.Infrastructure.Database;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace InitiativeTracker.Api.Features.Metrics;

/// <summary>The <c>Tracker:Metrics</c> configuration section.</summary>
public sealed class MetricsOptions
{
    public const string Section = "Tracker:Metrics";

    /// <summary>Serve <c>/metrics</c> without an API key (a scraper on a private network); otherwise an admin key is needed.</summary>
    public bool AllowAnonymous { get; init; }
}

/// <summary>
/// Metrics with OpenTelemetry: the framework's <c>http.server.request.duration</c> (by route, method and
/// status) and the tracker's own instruments (<see cref="TrackerGauges"/>, <see cref="WriteGateMetrics"/>),
/// served as Prometheus text at <c>/metrics</c>. When the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set
/// (environment or any configuration source; the other <c>OTEL_*</c> settings apply too), metrics and request
/// traces are also exported by OTLP; without it nothing is traced. <c>/metrics</c> is not part of the JSON
/// API, so it is left out of <c>openapi.yaml</c> and documented in docs/operations.md.
/// </summary>
internal static class MetricsEndpoints
{
    public const string Path = "/metrics";

    private const string OtlpEndpoint = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public static IServiceCollection AddTrackerMetrics(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MetricsOptions>().Bind(configuration.GetSection(MetricsOptions.Section));
        services.AddSingleton<TrackerGauges>();
        var otlp = !string.IsNullOrWhiteSpace(configuration[OtlpEndpoint]);
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("initiative-tracker"))
            .WithMetrics(metrics =>
            {
                metrics.AddAspNetCoreInstrumentation().AddMeter(WriteGateMetrics.MeterName).AddPrometheusExporter();
                if (otlp)
                {
                    metrics.AddOtlpExporter();
                }
            });
        if (otlp)
        {
            telemetry.WithTracing(tracing => tracing.AddAspNetCoreInstrumentation().AddOtlpExporter());
        }

        return services;
    }

    public static void MapMetricsEndpoint(this WebApplication app)
    {
        // The gauges register their callbacks when first built: build them with the host, not at the first scrape.
        app.Services.GetRequiredService<TrackerGauges>();
        var endpoint = app.MapPrometheusScrapingEndpoint(Path).ExcludeFromDescription();
        if (app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<MetricsOptions>>().Value.AllowAnonymous)
        {
            endpoint.AllowAnonymous();
        }
        else
        {
            endpoint.RequireAuthorization(Policies.Admin);
        }
    }
}
