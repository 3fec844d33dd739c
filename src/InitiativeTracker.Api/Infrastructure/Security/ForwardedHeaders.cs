using System.Net;
using Microsoft.Extensions.Options;

namespace InitiativeTracker.Api.Infrastructure.Security;

/// <summary>The <c>Tracker:ForwardedHeaders</c> configuration section, validated at start-up.</summary>
public sealed class ForwardedHeadersSettings
{
    public const string Section = "Tracker:ForwardedHeaders";

    /// <summary>Addresses of the reverse proxies whose <c>X-Forwarded-For</c>/<c>-Proto</c> are believed (<c>127.0.0.1</c>, <c>::1</c>).</summary>
    public string[] KnownProxies { get; init; } = [];

    /// <summary>Networks of such proxies, in CIDR notation (<c>10.0.0.0/24</c>).</summary>
    public string[] KnownNetworks { get; init; } = [];

    public bool Configured => KnownProxies.Length > 0 || KnownNetworks.Length > 0;
}

/// <summary>
/// Behind a reverse proxy, the client's address and scheme are those the proxy forwards in
/// <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c>, so that per-address rate limiting counts clients,
/// not the proxy, and the HTTPS redirect sees the client's https. They are believed only from the
/// configured proxies (<see cref="ForwardedHeadersSettings"/>): the framework's default trusts loopback,
/// which is cleared, and with nothing configured the middleware is not used at all, so a client talking
/// to the service directly cannot choose its own address by sending the headers.
/// </summary>
public static class ForwardedHeaders
{
    public static IServiceCollection AddTrackerForwardedHeaders(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ForwardedHeadersSettings>()
            .Bind(configuration.GetSection(ForwardedHeadersSettings.Section))
            .Validate(s => s.KnownProxies.All(p => IPAddress.TryParse(p, out _)),
                $"{ForwardedHeadersSettings.Section}:KnownProxies must be IP addresses (127.0.0.1, ::1), not host names.")
            .Validate(s => s.KnownNetworks.All(n => System.Net.IPNetwork.TryParse(n, out _)),
                $"{ForwardedHeadersSettings.Section}:KnownNetworks must be networks in CIDR notation (10.0.0.0/24).")
            .ValidateOnStart();
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ForwardedHeadersSettings>>((options, settings) =>
        {
            options.ForwardedHeaders = Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedFor
                | Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedProto;
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            // Through a chain of known proxies, up to the first address that is not one: the client.
            options.ForwardLimit = null;
            foreach (var proxy in settings.Value.KnownProxies)
            {
                options.KnownProxies.Add(IPAddress.Parse(proxy));
            }

            foreach (var network in settings.Value.KnownNetworks)
            {
                options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });
        return services;
    }

    /// <summary>First of all, so the request log, the rate limiter and the HTTPS redirect see the client.</summary>
    public static WebApplication UseTrackerForwardedHeaders(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<ForwardedHeadersSettings>>().Value.Configured)
        {
            app.UseForwardedHeaders();
        }

        return app;
    }
}
