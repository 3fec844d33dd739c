namespace InitiativeTracker.Api.Infrastructure.Http;

/// <summary>
/// The read-only dashboard (docs/dashboard.md): static files under <c>wwwroot</c>, its page at <c>/</c>
/// and its scripts and stylesheet under <c>/dashboard/</c>, which call the public JSON API with the key the
/// person pastes in. Files, not endpoints: they are not in the OpenAPI document, need no key and are not
/// rate-limited; the API's own paths never reach the file system.
/// </summary>
public static class Dashboard
{
    private const string AssetsPath = "/dashboard";

    /// <summary>The paths the dashboard's files are served at (whether or not such a file exists).</summary>
    public static bool Serves(PathString path) =>
        path == "/" || path.Equals("/index.html", StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments(AssetsPath, StringComparison.OrdinalIgnoreCase);

    public static IApplicationBuilder UseDashboard(this IApplicationBuilder app) =>
        app.UseWhen(c => Serves(c.Request.Path), dashboard => dashboard
            .UseDefaultFiles()
            .UseStaticFiles(new StaticFileOptions
            {
                // The page and its modules change with the service: a browser asks again (and gets a 304
                // while they are unchanged) rather than running yesterday's script against today's API.
                OnPrepareResponse = file => file.Context.Response.Headers.CacheControl = "no-cache",
            }));
}
