using System.Globalization;
using InitiativeTracker.Client.Api.V1.Initiatives.Item;
using InitiativeTracker.Client.Models;

namespace InitiativeTracker.Cli.Commands;

/// <summary>
/// A change to an initiative sent with <c>If-Match</c>: the version given (<c>--if-version</c>) or the one
/// read just before. When the first attempt landed but its answer was lost, the retry is a 412 (the
/// version moved on); then the initiative is read again, and if it is exactly one version further and
/// shows the change, that was this command's own write and it succeeded.
/// </summary>
internal static class ConditionalWrite
{
    public static async Task<InitiativeResponse> RunAsync(
        Call call,
        long id,
        long? ifVersion,
        Func<InitiativesItemRequestBuilder, string, Task<InitiativeResponse?>> write,
        Func<InitiativeResponse, bool> applied,
        CancellationToken ct)
    {
        var item = call.Session.Api.Api.V1.Initiatives[id];
        var version = ifVersion ?? (await item.GetAsync(cancellationToken: ct))!.Version!.Value;
        try
        {
            return (await write(item, ETag(version)))!;
        }
        catch (ProblemDetails problem) when (problem.ResponseStatusCode == 412 && call.Session.Resilience.LastAttempts > 1)
        {
            var now = (await item.GetAsync(cancellationToken: ct))!;
            if (now.Version == version + 1 && applied(now))
            {
                call.Console.Error.WriteLine("tracker: an earlier attempt of this change had already been applied; showing the result.");
                return now;
            }

            throw;
        }
    }

    private static string ETag(long version) => "\"" + version.ToString(CultureInfo.InvariantCulture) + "\"";
}
