using System.Diagnostics;

namespace InitiativeTracker.Api.Infrastructure.Http;

/// <summary>
/// One structured log line per request: method, route template (or the path, never the query string),
/// status, duration, the API key's name (never the key), and the client's address and scheme (behind a
/// configured reverse proxy, those it forwarded: <see cref="Security.ForwardedHeaders"/>). JSON when the console formatter is set to json
/// (<c>Logging:Console:FormatterName=json</c>).
/// </summary>
public sealed partial class RequestLogging(RequestDelegate next, ILogger<RequestLogging> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (!logger.IsEnabled(LogLevel.Information))
        {
            await next(context);
            return;
        }

        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? context.Request.Path.Value ?? "";
            Log(logger, context.Request.Method, route, context.Response.StatusCode,
                Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 2), context.User.Identity?.Name ?? "-",
                context.Connection.RemoteIpAddress?.ToString() ?? "-", context.Request.Scheme);
        }
    }

    /// <summary>
    /// Raises the framework's request lines (<c>Request starting GET http://…/path?query</c>) to Warning,
    /// in code so that it holds without <c>appsettings.json</c>: they write the whole URL, query string
    /// included, where a careless client may have put a key (which <see cref="Security.QueryCredentials"/>
    /// refuses, but only after the host has logged the request). This middleware's line replaces them.
    /// Kestrel's bad-request lines (Debug) quote the request target too.
    /// </summary>
    public static void SilenceFrameworkRequestLines(ILoggingBuilder logging) => logging
        .AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning)
        .AddFilter("Microsoft.AspNetCore.Server.Kestrel.BadRequests", LogLevel.Information);

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "{Method} {Route} {Status} {DurationMs} ms key={KeyName} client={Client} scheme={Scheme}")]
    private static partial void Log(ILogger logger, string method, string route, int status, double durationMs, string keyName, string client, string scheme);
}
