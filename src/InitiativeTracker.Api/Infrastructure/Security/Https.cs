namespace InitiativeTracker.Api.Infrastructure.Security;

/// <summary>
/// HTTPS redirection and HSTS, outside Development and only when the server has an HTTPS endpoint to
/// send clients to: a plain-HTTP install behind a TLS-terminating proxy must not redirect in circles (behind a
/// configured proxy the scheme is the one it forwards: <see cref="ForwardedHeaders"/>). Health probes are not redirected.
/// </summary>
public static class Https
{
    public static WebApplication UseHttpsWhenConfigured(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment() && IsConfigured(app.Configuration))
        {
            app.UseHsts();
            // Health probes (a load balancer, systemd, a container runtime) ask the internal http port and are
            // not clients to send elsewhere; they answer nothing secret.
            app.UseWhen(c => !c.Request.Path.StartsWithSegments("/health"), https => https.UseHttpsRedirection());
        }

        return app;
    }

    /// <summary>
    /// An HTTPS endpoint is configured by <c>urls</c> (ASPNETCORE_URLS, --urls), <c>https_ports</c> or
    /// <c>https_port</c>, a Kestrel endpoint with an https URL or a certificate, or a default certificate.
    /// </summary>
    public static bool IsConfigured(IConfiguration configuration) =>
        configuration["urls"]?.Contains("https://", StringComparison.OrdinalIgnoreCase) == true
        || !string.IsNullOrWhiteSpace(configuration["https_ports"])
        || !string.IsNullOrWhiteSpace(configuration["https_port"])
        || configuration.GetSection("Kestrel:Certificates:Default").Exists()
        || configuration.GetSection("Kestrel:Endpoints").GetChildren().Any(endpoint =>
            endpoint["Url"]?.StartsWith("https://", StringComparison.OrdinalIgnoreCase) == true
            || endpoint.GetSection("Certificate").Exists());
}
