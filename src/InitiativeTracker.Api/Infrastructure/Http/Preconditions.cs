using System.Globalization;
using InitiativeTracker.Api.Infrastructure.Errors;

namespace InitiativeTracker.Api.Infrastructure.Http;

/// <summary>
/// Optimistic concurrency: the <c>ETag</c> of a resource is its quoted <c>version</c>, and
/// <c>If-Match</c> on a write (<see cref="IfMatch"/>) must name the current one (or be <c>*</c>, or absent).
/// </summary>
public static class Preconditions
{
    public static string ETag(long version) => $"\"{version.ToString(CultureInfo.InvariantCulture)}\"";

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
