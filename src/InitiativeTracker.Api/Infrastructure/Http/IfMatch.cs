using System.Globalization;
using System.Reflection;
using InitiativeTracker.Api.Infrastructure.Errors;
using InitiativeTracker.Api.Infrastructure.OpenApi;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Net.Http.Headers;

namespace InitiativeTracker.Api.Infrastructure.Http;

/// <summary>
/// The <c>If-Match</c> header of a write, as an endpoint parameter: it binds the header, refuses a
/// malformed one (400 keyed <c>If-Match</c>), and documents the header with the 400 and 412 it brings.
/// <see cref="Versions"/> are the versions it accepts: null for any (absent or <c>*</c>). Weak tags accept
/// nothing, since If-Match compares strongly (RFC 9110 §13.1.1). A header that is not <c>*</c> or a list
/// of entity tags (<c>If-Match: 3</c>, unquoted) is refused: RFC 9110 gives no rule for evaluating it,
/// ignoring it would apply an unguarded write, and a 412 would claim a stale version it never read.
/// </summary>
public sealed class IfMatch : IEndpointParameterMetadataProvider
{
    private static readonly IfMatch s_any = new(null);

    private IfMatch(long[]? versions) => Versions = versions;

    public long[]? Versions { get; }

    public static ValueTask<IfMatch> BindAsync(HttpContext context) => ValueTask.FromResult(Parse(context.Request.Headers.IfMatch.ToString()));

    public static IfMatch Parse(string? header)
    {
        if (string.IsNullOrWhiteSpace(header) || header.Trim() == "*")
        {
            return s_any;
        }

        if (!EntityTagHeaderValue.TryParseStrictList([header], out var tags) || tags.Contains(EntityTagHeaderValue.Any))
        {
            throw Invalid.Header(HeaderNames.IfMatch, Preconditions.MalformedTags(HeaderNames.IfMatch));
        }

        return new IfMatch(tags
            .Select(tag => !tag.IsWeak && long.TryParse(tag.Tag.AsSpan(1, tag.Tag.Length - 2), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : -1)
            .ToArray());
    }

    public static void PopulateMetadata(ParameterInfo parameter, EndpointBuilder builder) =>
        builder.Metadata.Add(new OperationDocumentation((operation, context) =>
        {
            operation.AddSharedParameter(SharedComponents.IfMatchParameter, context);
            operation.AddProblem(StatusCodes.Status400BadRequest);
            operation.AddProblem(StatusCodes.Status412PreconditionFailed);
        }));
}
