using System.Globalization;
using InitiativeTracker.Api.Infrastructure.Errors;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace InitiativeTracker.Api.Infrastructure.Security;

/// <summary>
/// Bounds what a request may carry: a body of at most <see cref="DefaultBodyBytes"/> (an endpoint raises
/// its own limit with the framework's <c>RequestSizeLimitAttribute</c>, as the import does), a query
/// string of at most <see cref="MaxQueryStringLength"/> characters and <see cref="MaxHeaderCount"/> header fields.
/// Kestrel enforces the body limit (endpoint routing hands it the endpoint's <see cref="IRequestSizeLimitMetadata"/>):
/// a <c>Content-Length</c> over it is refused before a byte is read (or a 100 Continue sent), a chunked body
/// once it runs over, either as a <c>BadHttpRequestException</c> that the exception handler answers with a 413
/// problem. The in-process test host enforces no body limit, so the tests of it run the real service.
/// </summary>
public static class RequestLimits
{
    /// <summary>
    /// 64 KiB: every resource's body fits several times over (its longest text is 4,000 characters, 24 KB
    /// even as <c>\uXXXX</c> escapes), and a body this size stays off the large object heap. At 1 MiB, 64
    /// clients sending bodies at once held the service at 470 MB; at 64 KiB they are refused up front.
    /// </summary>
    public const long DefaultBodyBytes = 64 * 1024;

    /// <summary>The limits for people: "64 KiB", "16 MiB".</summary>
    public static string Size(long bytes) => bytes % (1024 * 1024) == 0
        ? string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024 * 1024)} MiB")
        : string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024} KiB");

    public const int MaxQueryStringLength = 4096;

    /// <summary>
    /// Header fields a request may carry (Kestrel's default count), refused with a 431 problem here. Kestrel's
    /// own count limit is raised to <see cref="KestrelHeaderCount"/> so that this check, not Kestrel's bare 431,
    /// answers; the memory headers take stays bounded by Kestrel's 32 KiB total header size, which it still
    /// enforces itself.
    /// </summary>
    public const int MaxHeaderCount = 100;

    private const int KestrelHeaderCount = 4096;

    /// <summary>The title of every 413, whatever refused the body: RFC 9110's name for the status.</summary>
    public const string TooLargeTitle = "Content Too Large";

    /// <summary>The body limit of the request's endpoint (null: none), also once the exception handler has cleared the endpoint.</summary>
    public static long? BodyLimit(HttpContext context) =>
        (context.GetEndpoint() ?? context.Features.Get<IExceptionHandlerFeature>()?.Endpoint)?.Metadata.GetMetadata<IRequestSizeLimitMetadata>() is { } metadata
            ? metadata.MaxRequestBodySize
            : DefaultBodyBytes;

    /// <summary>The detail of every 413, whether Kestrel refused a <c>Content-Length</c> up front or a chunked body that ran over.</summary>
    public static string TooLargeDetail(HttpContext context) => BodyLimit(context) is { } max
        ? string.Create(CultureInfo.InvariantCulture, $"The request body may be at most {max} bytes here.")
        : "The request body is larger than this endpoint accepts.";

    public static IServiceCollection AddRequestLimits(this IServiceCollection services) =>
        services.Configure<KestrelServerOptions>(o =>
        {
            o.Limits.MaxRequestBodySize = DefaultBodyBytes;
            o.Limits.MaxRequestHeaderCount = KestrelHeaderCount;
        });

    /// <summary>Documents the limits on the group's endpoints: 414 and 431 for every one, and 413 and 415 for those that read a body.</summary>
    public static RouteGroupBuilder WithRequestLimits(this RouteGroupBuilder group)
    {
        group.ProducesProblem(StatusCodes.Status414UriTooLong);
        group.ProducesProblem(StatusCodes.Status431RequestHeaderFieldsTooLarge);
        ((IEndpointConventionBuilder)group).Finally(endpoint =>
        {
            if (endpoint.Metadata.OfType<IAcceptsMetadata>().Any())
            {
                endpoint.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status413PayloadTooLarge, typeof(ProblemDetails), [ProblemMediaType]));
                endpoint.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status415UnsupportedMediaType, typeof(ProblemDetails), [ProblemMediaType]));
            }
        });
        return group;
    }

    private const string ProblemMediaType = "application/problem+json";
}

internal sealed class RequestLimitsMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        // Fields, not names: a name sent 300 times is 300 fields.
        if (request.Headers.Sum(h => h.Value.Count) is var fields && fields > RequestLimits.MaxHeaderCount)
        {
            await TypedResults.Problem(
                string.Create(CultureInfo.InvariantCulture, $"A request may carry at most {RequestLimits.MaxHeaderCount} header fields; this one has {fields}."),
                statusCode: StatusCodes.Status431RequestHeaderFieldsTooLarge).ExecuteAsync(context);
            return;
        }

        if (request.QueryString.Value?.Length > RequestLimits.MaxQueryStringLength)
        {
            // Name the parameter that made it too long, as every other refusal of input does.
            var longest = request.Query.MaxBy(p => p.Key.Length + p.Value.ToString().Length).Key ?? "query";
            await TypedResults.Problem(ProblemException.Create(StatusCodes.Status414UriTooLong, ProblemTypes.UriTooLong, "URI Too Long",
                $"The query string may be at most {RequestLimits.MaxQueryStringLength} characters long.",
                new Dictionary<string, string[]> { [longest] = [$"'{longest}' makes the query string longer than {RequestLimits.MaxQueryStringLength} characters."] }))
                .ExecuteAsync(context);
            return;
        }

        if (context.GetEndpoint()?.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType is not null)
        {
            // A body that fails to bind is read again to name every field that is wrong (BodyErrors).
            request.EnableBuffering();
        }

        await next(context);
    }
}
