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
    private static readonly string s_aggregates = $"""
        COUNT(s.id) AS Total,
        COUNT(CASE WHEN s.status = 'planned' THEN 1 END) AS Planned,
        COUNT(CASE WHEN s.status = 'in_progress' THEN 1 END) AS InProgress,
        COUNT(CASE WHEN s.status = 'blocked' THEN 1 END) AS Blocked,
        COUNT(CASE WHEN s.status = 'done' THEN 1 END) AS Done,
        COUNT(CASE WHEN s.status = 'cancelled' THEN 1 END) AS Cancelled,
        ROUND(AVG(CASE WHEN {ReportSnapshot.Open} THEN s.progress END), 1) AS MeanProgress,
        COUNT(CASE WHEN {ReportSnapshot.Open} AND s.deadline < @Today THEN 1 END) AS Overdue,
        COUNT(CASE WHEN {ReportSnapshot.Open} AND s.health = 'at_risk' THEN 1 END) AS AtRisk,
        COUNT(CASE WHEN {ReportSnapshot.Open} AND s.health = 'off_track' THEN 1 END) AS OffTrack,
        CAST(COUNT(CASE WHEN s.status = 'done' AND s.completed_on <= s.deadline THEN 1 END) AS REAL)
            / NULLIF(COUNT(CASE WHEN s.status = 'done' THEN 1 END), 0) AS OnTimeRate
        """;

    public async Task<ProgressReport> Handle(ProgressReportQuery query, CancellationToken cancellationToken)
    {
        var day = ReportDay.For(query, clock);
        var cte = ReportSnapshot.Cte(day, query);
        var sql = $"""
            WITH {cte}
            SELECT 'direction' AS Scope, d.id AS DirectionId, d.number AS DirectionNumber, d.title AS DirectionTitle, {s_aggregates}
            FROM directions d LEFT JOIN snapshot s ON s.direction_id = d.id
            WHERE @DirectionId IS NULL OR d.id = @DirectionId
            GROUP BY d.id ORDER BY d.meeting_id, d.number, d.id;
            WITH {cte}
            SELECT 'overall' AS Scope, {s_aggregates} FROM snapshot s;
            """;
        await using var connection = await db.OpenAsync(cancellationToken);
        using var results = await connection.QueryMultipleAsync(new CommandDefinition(sql, new
        {
            query.DirectionId,
            query.OwnerId,
            query.TaskForceId,
            day.EndUtc,
            day.Today,
        }, cancellationToken: cancellationToken));
        var directions = (await results.ReadAsync<ProgressRow>()).AsList();
        var overall = await results.ReadSingleAsync<ProgressRow>();
        return new ProgressReport { AsOf = day.Today, TimeZone = day.Zone.Id, Directions = directions, Overall = overall };
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
