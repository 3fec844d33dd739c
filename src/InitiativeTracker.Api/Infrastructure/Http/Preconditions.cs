using System.Globalization;
using InitiativeTracker.Api.Infrastructure.Errors;

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
    /// Weak or malformed tags accept nothing, since If-Match compares strongly.
    /// </summary>
    public static long[]? IfMatch(string? header)
    {
        if (string.IsNullOrWhiteSpace(header) || header.Trim() == "*")
        {
            return null;
        }

        return header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(tag => tag.Length > 2 && tag[0] == '"' && tag[^1] == '"'
                && long.TryParse(tag.AsSpan(1, tag.Length - 2), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : -1)
            .ToArray();
    }

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
