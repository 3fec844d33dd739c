using Dapper;
using InitiativeTracker.Api.Infrastructure.Database;
using InitiativeTracker.Api.Infrastructure.Time;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace InitiativeTracker.Api.Features.Reports;

internal sealed record ProgressReportQuery : ReportQuery, IRequest<ProgressReport>;


/// <summary>Where the initiatives of one direction (or of all, <c>scope</c> = overall) stand.</summary>
internal sealed record ProgressRow
{
    /// <summary>direction, or overall for the totals row.</summary>
    public required string Scope { get; init; }

    public long? DirectionId { get; init; }
    public int? DirectionNumber { get; init; }
    public string? DirectionTitle { get; init; }
    public long Total { get; init; }
    public long Planned { get; init; }
    public long InProgress { get; init; }
    public long Blocked { get; init; }
    public long Done { get; init; }
    public long Cancelled { get; init; }

    /// <summary>Mean progress (0–100) of the open initiatives; null when none is open.</summary>
    public double? MeanProgress { get; init; }

    /// <summary>Open initiatives past their deadline.</summary>
    public long Overdue { get; init; }

    /// <summary>Open initiatives whose health is at_risk.</summary>
    public long AtRisk { get; init; }

    /// <summary>Open initiatives whose health is off_track.</summary>
    public long OffTrack { get; init; }

    /// <summary>Done initiatives completed on or before their deadline, as a fraction 0–1 of the done ones; null when none is done.</summary>
    public double? OnTimeRate { get; init; }
}

internal sealed record ProgressReport
{
    public DateOnly AsOf { get; init; }
    public required string TimeZone { get; init; }
    public required IReadOnlyList<ProgressRow> Directions { get; init; }
    public required ProgressRow Overall { get; init; }
}

internal sealed class ProgressReportHandler(Db db, TrackerClock clock) : IRequestHandler<ProgressReportQuery, ProgressReport>
{
    /// <summary>A row's figures from a tally's sums: <c>t</c> is one direction's tally, or their sums for the overall row.</summary>
    private static string Figures(Func<string, string> sum) => $"""
        {sum("total")} AS Total, {sum("planned")} AS Planned, {sum("in_progress")} AS InProgress, {sum("blocked")} AS Blocked,
        {sum("done")} AS Done, {sum("cancelled")} AS Cancelled,
        ROUND(CAST({sum("progress_sum")} AS REAL) / {sum("open")}, 1) AS MeanProgress,
        {sum("overdue")} AS Overdue, {sum("at_risk")} AS AtRisk, {sum("off_track")} AS OffTrack,
        CAST({sum("on_time")} AS REAL) / NULLIF({sum("done")}, 0) AS OnTimeRate
        """;

    public async Task<ProgressReport> Handle(ProgressReportQuery query, CancellationToken cancellationToken)
    {
        var day = ReportDay.For(query, clock);
        // One tally per direction; the overall row sums them (every initiative has a direction). Today's
        // report for all owners and task forces reads the tallies the database keeps (migration 0015) and
        // the open deadline counts (0011); a past date or an owner or task-force filter reads the snapshot
        // once. A mean is its sum over its count (ROUND of a division by zero is NULL: none open).
        var stored = query.IsTodayAcrossOwners(day);
        string Count(string condition) => stored ? $"SUM(CASE WHEN {condition} THEN s.n ELSE 0 END)" : $"COUNT(CASE WHEN {condition} THEN 1 END)";
        var open = ReportSnapshot.Open;
        var sql = $"""
            WITH {(stored ? "" : ReportSnapshot.Cte(day, query) + ",")}
            tally AS MATERIALIZED (
                SELECT s.direction_id,
                       {Count("1")} AS total,
                       {Count("s.status = 'planned'")} AS planned,
                       {Count("s.status = 'in_progress'")} AS in_progress,
                       {Count("s.status = 'blocked'")} AS blocked,
                       {Count("s.status = 'done'")} AS done,
                       {Count("s.status = 'cancelled'")} AS cancelled,
                       {Count(open)} AS open,
                       {(stored ? $"SUM(CASE WHEN {open} THEN s.progress_sum ELSE 0 END)" : $"COALESCE(SUM(CASE WHEN {open} THEN s.progress END), 0)")} AS progress_sum,
                       {(stored
                           ? "(SELECT COALESCE(SUM(c.n), 0) FROM open_deadline_counts c WHERE c.direction_id = s.direction_id AND c.deadline < @Today)"
                           : Count($"{open} AND s.deadline < @Today"))} AS overdue,
                       {Count($"{open} AND s.health = 'at_risk'")} AS at_risk,
                       {Count($"{open} AND s.health = 'off_track'")} AS off_track,
                       {(stored ? "SUM(s.on_time)" : Count("s.status = 'done' AND s.completed_on <= s.deadline"))} AS on_time
                FROM {(stored ? "direction_tallies s WHERE @DirectionId IS NULL OR s.direction_id = @DirectionId" : "snapshot s")}
                GROUP BY s.direction_id
            )
            SELECT * FROM (
                SELECT 0 AS Part, d.meeting_id AS MeetingId, 'direction' AS Scope, d.id AS DirectionId, d.number AS DirectionNumber,
                       d.title AS DirectionTitle, {Figures(column => $"COALESCE(t.{column}, 0)")}
                FROM directions d LEFT JOIN tally t ON t.direction_id = d.id
                WHERE @DirectionId IS NULL OR d.id = @DirectionId
                UNION ALL
                SELECT 1, NULL, 'overall', NULL, NULL, NULL, {Figures(column => $"COALESCE(SUM(t.{column}), 0)")} FROM tally t
            )
            ORDER BY Part, MeetingId, DirectionNumber, DirectionId;
            """;
        await using var connection = await db.OpenAsync(cancellationToken);
        var rows = (await connection.QueryAsync<ProgressRow>(new CommandDefinition(sql, new
        {
            query.DirectionId,
            query.OwnerId,
            query.TaskForceId,
            day.EndUtc,
            day.Today,
        }, cancellationToken: cancellationToken))).AsList();
        return new ProgressReport { AsOf = day.Today, TimeZone = day.Zone.Id, Directions = rows[..^1], Overall = rows[^1] };
    }
}

internal static class ProgressReportEndpoint
{
    public static void Map(RouteGroupBuilder group) => group.MapGet("/progress", Handle)
        .WithName("progressReport")
        .WithSummary("Per direction and overall: counts by status, mean progress, overdue, at risk, on-time rate (JSON or CSV)");

    private static async Task<Results<Ok<ProgressReport>, CsvResult<ProgressRow>>> Handle(
        [AsParameters] ReportDate date, [AsParameters] ReportScope scope, HttpRequest request, IMediator mediator, CancellationToken ct)
    {
        var csv = Csv.Negotiate(request, scope.Format);
        var report = await mediator.Send(new ProgressReportQuery { Date = date, Scope = scope, AsCsv = csv }, ct);
        return csv
            ? new CsvResult<ProgressRow>($"progress-{SqlText.Date(report.AsOf)}.csv", [.. report.Directions, report.Overall])
            : TypedResults.Ok(report);
    }
}
