using System.Globalization;
using InitiativeTracker.Api.Infrastructure.Errors;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace InitiativeTracker.Api.Infrastructure.Security;

/// <summary>
/// Bounds what a request may carry: a body of at most <see cref="DefaultBodyBytes"/> (an endpoint raises
/// its own limit with the framework's <c>RequestSizeLimitAttribute</c>, as the import does) and a query
/// string of at most <see cref="MaxQueryStringLength"/> characters.
/// Kestrel enforces the same body limits (endpoint routing applies the endpoint's
/// <see cref="IRequestSizeLimitMetadata"/> to it); the middleware enforces them wherever the app is hosted,
/// tests included, and answers problem+json.
/// </summary>
public static class RequestLimits
{
    public const long DefaultBodyBytes = 1024 * 1024;
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

    /// <summary>
    /// The detail of every 413, whether the middleware refused a Content-Length up front or a chunked body
    /// ran over the limit while Kestrel, the middleware's counting stream or the endpoint was reading it.
    /// </summary>
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

        // Metadata with a null size means "no limit" (as [DisableRequestSizeLimit] does).
        if (RequestLimits.BodyLimit(context) is { } max)
        {
            if (request.ContentLength > max)
            {
                // ProblemShape gives it the title, type and detail every 413 has.
                await TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge).ExecuteAsync(context);
                return;
            }

            if (request.ContentLength is null && context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody != false)
            {
                // A body of unknown length (chunked) is counted as it is read.
                request.Body = new LimitedReadStream(request.Body, max);
            }
        }

        if (context.GetEndpoint()?.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType is not null)
        {
            // A body that fails to bind is read again to name every field that is wrong (BodyErrors).
            request.EnableBuffering();
        }

        await next(context);
    }

    /// <summary>Reads through to the request body and fails, as Kestrel does, once more than the limit was sent.</summary>
    private sealed class LimitedReadStream(Stream inner, long limit) : Stream
    {
        private long _read;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override int Read(Span<byte> buffer) => Count(inner.Read(buffer));

        public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Count(await inner.ReadAsync(buffer.AsMemory(offset, count), cancellationToken));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private int Count(int read)
        {
            _read += read;
            return _read > limit
                ? throw new Microsoft.AspNetCore.Http.BadHttpRequestException("The request body is larger than this endpoint accepts.", StatusCodes.Status413PayloadTooLarge)
                : read;
        }
    }
}
