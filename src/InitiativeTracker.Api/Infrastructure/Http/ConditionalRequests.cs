using InitiativeTracker.Api.Infrastructure.Errors;
using InitiativeTracker.Api.Infrastructure.OpenApi;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using Microsoft.OpenApi;

namespace InitiativeTracker.Api.Infrastructure.Http;

/// <summary>
/// <c>If-None-Match</c> for every GET, keyed on the <c>ETag</c> the endpoint sets: when the answer is a
/// 200 whose ETag the client already holds (or it sent <c>*</c>), it becomes a 304 with the ETag and no
/// body. Comparison is weak, as RFC 9110 prescribes for If-None-Match. Where there is an ETag to compare
/// with, a header that is not <c>*</c> or a list of entity tags is a 400 keyed <c>If-None-Match</c> (as
/// <see cref="IfMatch"/> does for If-Match). Only requests that carry the header are
/// buffered; endpoints need do nothing but set their ETag (<see cref="Resource"/>).
/// </summary>
public sealed class ConditionalRequestMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (!(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)) || StringValues.IsNullOrEmpty(request.Headers.IfNoneMatch))
        {
            await next(context);
            return;
        }

        var response = context.Response;
        var body = response.Body;
        using var buffered = new MemoryStream();
        response.Body = buffered;
        try
        {
            await next(context);
        }
        finally
        {
            response.Body = body;
        }

        if (response.StatusCode == StatusCodes.Status200OK && !StringValues.IsNullOrEmpty(response.Headers.ETag)
            && !EntityTagHeaderValue.TryParseStrictList(request.Headers.IfNoneMatch, out _))
        {
            throw Invalid.Header(HeaderNames.IfNoneMatch, Preconditions.MalformedTags(HeaderNames.IfNoneMatch));
        }

        if (response.StatusCode == StatusCodes.Status200OK && Matches(request.Headers.IfNoneMatch, response.Headers.ETag))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            response.ContentLength = null;
            response.Headers.Remove(HeaderNames.ContentType);
            return;
        }

        buffered.Position = 0;
        await buffered.CopyToAsync(body, context.RequestAborted);
    }

    /// <summary>Documents revalidation on a GET whose 200 carries <paramref name="etag"/>: If-None-Match, its 304 and its 400.</summary>
    public static void Describe(OpenApiOperation operation, OpenApiOperationTransformerContext context, IOpenApiHeader etag)
    {
        operation.AddSharedParameter(SharedComponents.IfNoneMatchParameter, context);
        operation.AddProblem(StatusCodes.Status400BadRequest);
        operation.Responses!["304"] = new OpenApiResponse
        {
            Description = "Not Modified: If-None-Match names the current ETag. No body.",
            Headers = new Dictionary<string, IOpenApiHeader> { [SharedComponents.ETagHeader] = etag },
        };
    }

    /// <summary>Whether an If-None-Match header matches the current ETag (weakly; <c>*</c> matches any).</summary>
    public static bool Matches(StringValues ifNoneMatch, StringValues etag)
    {
        if (!EntityTagHeaderValue.TryParse(etag.ToString(), out var current)
            || !EntityTagHeaderValue.TryParseList(ifNoneMatch, out var tags))
        {
            return false;
        }

        return tags.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(current, useStrongComparison: false));
    }
}
