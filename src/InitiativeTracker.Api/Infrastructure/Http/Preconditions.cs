using System.Globalization;
using InitiativeTracker.Api.Infrastructure.Errors;
using Microsoft.Net.Http.Headers;

namespace InitiativeTracker.Api.Infrastructure.Http;

/// <summary>
/// Optimistic concurrency: the <c>ETag</c> of a resource is its quoted <c>version</c>, and
/// <c>If-Match</c> on a write must name the current one (or be <c>*</c>, or absent).
/// </summary>
public static class Preconditions
{
    public static string ETag(long version) => $"\"{version.ToString(CultureInfo.InvariantCulture)}\"";

    /// <summary>Sets the ETag header of a single-resource response.</summary>
    public static void SetETag(this HttpResponse response, long version) => response.Headers.ETag = ETag(version);

    /// <summary>
    /// Parses an <c>If-Match</c> header into the versions it accepts: null for "any" (absent or <c>*</c>).
    /// Weak tags accept nothing, since If-Match compares strongly (RFC 9110 §13.1.1). A header that is not
    /// <c>*</c> or a list of entity tags (<c>If-Match: 3</c>, unquoted) is a 400 keyed <c>If-Match</c>: RFC 9110
    /// gives no rule for evaluating a malformed If-Match, ignoring it would apply an unguarded write,
    /// and a 412 would claim the version was stale when the header was never read.
    /// </summary>
    public static long[]? IfMatch(string? header)
    {
        if (string.IsNullOrWhiteSpace(header) || header.Trim() == "*")
        {
            return null;
        }

        if (!EntityTagHeaderValue.TryParseStrictList([header], out var tags) || tags.Contains(EntityTagHeaderValue.Any))
        {
            throw Invalid.Header(HeaderNames.IfMatch, MalformedTags(HeaderNames.IfMatch));
        }

        return tags
            .Select(tag => !tag.IsWeak && long.TryParse(tag.Tag.AsSpan(1, tag.Tag.Length - 2), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : -1)
            .ToArray();
    }

    /// <summary>The message for an If-Match or If-None-Match that is not <c>*</c> or a list of entity tags.</summary>
    public static string MalformedTags(string header) =>
        $"'{header}' must be * or one or more ETags as the ETag header gives them, quoted: \"3\" (a list: \"3\", \"4\").";

    /// <summary>Throws a 412 problem unless <paramref name="current"/> satisfies <paramref name="ifMatch"/>.</summary>
    public static void Check(long[]? ifMatch, long current)
    {
        if (ifMatch is not null && !ifMatch.Contains(current))
        {
            throw ProblemException.PreconditionFailed(
                $"The resource has changed: its current ETag is {ETag(current)}. Fetch it again and retry with that If-Match.");
        }
    }
}
