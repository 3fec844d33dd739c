using InitiativeTracker.Api.Infrastructure.Database;
using InitiativeTracker.Api.Infrastructure.Time;

namespace InitiativeTracker.Api.Features.Reports;

/// <summary>
/// The stale initiatives the execution scorecard counts (open, with no check-in, nor creation, in the last
/// <c>staleAfterDays</c> days), as rows of the upcoming report's shape, least recently reported first by
/// deadline: the same query as the overdue and upcoming reports, with the staleness condition. For the emails.
/// </summary>
internal static class StaleInitiatives
{
    private const string Condition = "COALESCE(s.last_check_in_at, s.created_at) < @StaleBeforeUtc";

    public sealed record Page(long TotalCount, IReadOnlyList<UpcomingRow> Rows);

    /// <summary>Today's first <paramref name="size"/> stale initiatives in <paramref name="scope"/>, and how many there are.</summary>
    public static async Task<Page> QueryAsync(Db db, TrackerClock clock, ReportScope scope, int staleAfterDays, int size, CancellationToken ct)
    {
        var query = new UpcomingReportQuery { Scope = scope };
        var day = ReportDay.For(query, clock);
        var result = await DeadlineReportRows.QueryAsync(db, query, day, Condition, null, size, 0,
            new { StaleBeforeUtc = day.StartOf(day.Today.AddDays(-staleAfterDays)) }, ct, deadlineOnly: false);
        return new Page(result.TotalCount, result.Rows.Select(r => UpcomingRow.From(r, day)).ToList());
    }
}
