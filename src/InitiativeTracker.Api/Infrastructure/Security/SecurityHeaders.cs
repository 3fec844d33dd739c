using InitiativeTracker.Api.Infrastructure.Http;

namespace InitiativeTracker.Api.Infrastructure.Security;

/// <summary>
/// Headers that keep browsers from misusing any response: no content sniffing, no referrer, no framing,
/// and a Content-Security-Policy. The API answers JSON and CSV, which load nothing; Swagger UI loads only
/// its own scripts and styles (it also sets inline styles and uses data: images) and fetches the document;
/// the dashboard (<see cref="Dashboard"/>) loads only its own scripts and stylesheet, inline ones neither.
/// They are added just before the headers are sent, so error answers written after a reset carry them too.
/// </summary>
public static class SecurityHeaders
{
    public const string ApiPolicy = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    public const string SwaggerUiPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        + "font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    /// <summary>The dashboard's pages: this origin's scripts, stylesheet and images, and fetches to this origin's API.</summary>
    public const string DashboardPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        + "frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        context.Response.OnStarting(static state =>
        {
            var http = (HttpContext)state;
            var headers = http.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers.ContentSecurityPolicy = Dashboard.Serves(http.Request.Path) ? DashboardPolicy
                : http.Request.Path.StartsWithSegments("/swagger", StringComparison.OrdinalIgnoreCase) ? SwaggerUiPolicy
                : ApiPolicy;
            return Task.CompletedTask;
        }, context);
        return next(context);
    });
}
