using InitiativeTracker.Api.Infrastructure.Errors;
using InitiativeTracker.Api.Infrastructure.OpenApi;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using Microsoft.OpenApi;

namespace InitiativeTracker.Api.Infrastructure.Http;

/// <summary>
/// <c>If-None-Match</c> on a GET, asked by the answer that carries the <c>ETag</c> (<see cref="ResourceResult{T}"/>)
/// before it writes anything: when the client already holds the ETag (or sent <c>*</c>), the 200 becomes a
/// 304 with the ETag and no body. Comparison is weak, as RFC 9110 prescribes for If-None-Match. Where
/// there is an ETag to compare with, a header that is not <c>*</c> or a list of entity tags is a 400 keyed
/// <c>If-None-Match</c> (as <see cref="IfMatch"/> does for If-Match); an answer without one never reads it.
/// </summary>
public static class ConditionalRequests
{
    /// <summary>Whether a GET's 200 tagged <paramref name="etag"/> is answered 304 instead.</summary>
    public static bool NotModified(HttpRequest request, string etag)
    {
        var ifNoneMatch = request.Headers.IfNoneMatch;
        if (!HttpMethods.IsGet(request.Method) || StringValues.IsNullOrEmpty(ifNoneMatch))
        {
            return false;
        }

        if (!EntityTagHeaderValue.TryParseStrictList(ifNoneMatch, out var tags))
        {
            throw Invalid.Header(HeaderNames.IfNoneMatch, Preconditions.MalformedTags(HeaderNames.IfNoneMatch));
        }

        var current = EntityTagHeaderValue.Parse(etag);
        return tags.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(current, useStrongComparison: false));
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
}
