using Dapper;
using FluentValidation;
using InitiativeTracker.Api.Features.Initiatives;
using InitiativeTracker.Api.Infrastructure.Database;
using InitiativeTracker.Api.Infrastructure.Time;
using InitiativeTracker.Api.Infrastructure.Validation;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace InitiativeTracker.Api.Features.Reports;

internal sealed record ExecutionReportQuery : ReportQuery, IRequest<ExecutionReport>
{
    /// <summary>owner (default), taskForce or direction.</summary>
    [FromQuery(Name = "groupBy")]
    public string? GroupBy { get; init; }

    /// <summary>The grouping the report uses: <see cref="GroupBy"/>, or by owner.</summary>
    internal string Grouping => GroupBy ?? ReportGrouping.Owner;

    /// <summary>Count completions and deadline moves from this date (inclusive). Default: no lower bound.</summary>
    [FromQuery(Name = "from")]
    public DateOnly? From { get; init; }

    /// <summary>Count completions and deadline moves up to this date (inclusive). Default: asOf.</summary>
    [FromQuery(Name = "to")]
    public DateOnly? To { get; init; }

    /// <summary>An open initiative is stale when it had no check-in (nor creation) in this many days (default 14).</summary>
    [FromQuery(Name = "staleAfterDays")]
    public int? StaleAfterDays { get; init; }
}

internal sealed class ExecutionReportValidator : AbstractValidator<ExecutionReportQuery>
{
    public ExecutionReportValidator()
    {
        RuleFor(q => q.GroupBy).OneOf<ExecutionReportQuery, ReportGroupBy>();
        RuleFor(q => q.StaleAfterDays).InclusiveBetween(1, 3650);
        RuleFor(q => q.To).GreaterThanOrEqualTo(q => q.From).When(q => q.From is not null && q.To is not null)
            .WithMessage("'to' must not be before 'from'.");
    }
}

/// <summary>The prompt-execution scorecard of one owner, task force or direction.</summary>
internal sealed record ExecutionRow
{
    /// <summary>The owner, task force or direction id; null for initiatives without a task force.</summary>
    public long? GroupId { get; init; }

    public required string GroupName { get; init; }

    /// <summary>Initiatives completed in the window.</summary>
    public long Completed { get; init; }

    /// <summary>Completed on or before the deadline in force at completion.</summary>
    public long CompletedOnTime { get; init; }

    /// <summary>Completed on or before the original deadline, so moving a deadline cannot hide lateness.</summary>
    public long CompletedByOriginalDeadline { get; init; }

    /// <summary>completedOnTime / completed, 0–1; null when nothing was completed.</summary>
    public double? OnTimeRate { get; init; }

    /// <summary>The median days late over late completions only; null when none was late.</summary>
    public double? MedianDaysLate { get; init; }

    public long Open { get; init; }
    public long OpenOverdue { get; init; }

    /// <summary>Deadline moves made in the window.</summary>
    public long DeadlineChanges { get; init; }

    /// <summary>Open initiatives with no check-in (nor creation) in the last staleAfterDays days.</summary>
    public long StaleInitiatives { get; init; }
}

internal sealed record ExecutionReport
{
    public DateOnly AsOf { get; init; }
    public required string TimeZone { get; init; }
    public ReportGroupBy GroupBy { get; init; }
    public DateOnly? From { get; init; }
    public DateOnly To { get; init; }
    public int StaleAfterDays { get; init; }
    public required IReadOnlyList<ExecutionRow> Groups { get; init; }
}

internal sealed class ExecutionReportHandler(Db db, TrackerClock clock) : IRequestHandler<ExecutionReportQuery, ExecutionReport>
{
    private const int DefaultStaleAfterDays = 14;

    public async Task<ExecutionReport> Handle(ExecutionReportQuery query, CancellationToken cancellationToken)
    {
        var day = ReportDay.For(query, clock);
        var groupBy = query.Grouping;
        var group = ReportGrouping.Columns(groupBy);
        var to = query.To is { } t && t < day.Today ? t : day.Today;
        var staleAfter = query.StaleAfterDays ?? DefaultStaleAfterDays;
        var sql = $"""
            WITH {ReportSnapshot.Cte(day, query)},
            grouped AS (
                SELECT s.*, {group.Id} AS group_id, {group.Name} AS group_name, {group.Order.Split(',')[0]} AS group_order,
                       s.status = 'done' AND s.completed_on >= @From AND s.completed_on <= @To AS completed,
                       CAST(julianday(s.completed_on) - julianday(s.deadline) AS INTEGER) AS days_late
                FROM snapshot s
                JOIN directions d ON d.id = s.direction_id
                JOIN owners o ON o.id = s.owner_id
                LEFT JOIN task_forces t ON t.id = s.task_force_id
            ),
            late AS (
                SELECT group_id, days_late,
                       ROW_NUMBER() OVER (PARTITION BY group_id ORDER BY days_late) AS position,
                       COUNT(*) OVER (PARTITION BY group_id) AS late_count
                FROM grouped WHERE completed AND days_late > 0
            ),
            medians AS (
                SELECT group_id, AVG(days_late) AS median_days_late FROM late
                WHERE position IN ((late_count + 1) / 2, (late_count + 2) / 2)
                GROUP BY group_id
            ),
            moves AS (
                SELECT g.group_id, COUNT(*) AS moves
                FROM deadline_changes dc JOIN grouped g ON g.id = dc.initiative_id
                WHERE dc.changed_at >= @FromUtc AND dc.changed_at < @ToEndUtc
                GROUP BY g.group_id
            )
            SELECT g.group_id AS GroupId, MIN(g.group_name) AS GroupName,
                   COUNT(CASE WHEN g.completed THEN 1 END) AS Completed,
                   COUNT(CASE WHEN g.completed AND g.completed_on <= g.deadline THEN 1 END) AS CompletedOnTime,
                   COUNT(CASE WHEN g.completed AND g.completed_on <= g.original_deadline THEN 1 END) AS CompletedByOriginalDeadline,
                   CAST(COUNT(CASE WHEN g.completed AND g.completed_on <= g.deadline THEN 1 END) AS REAL)
                       / NULLIF(COUNT(CASE WHEN g.completed THEN 1 END), 0) AS OnTimeRate,
                   m.median_days_late AS MedianDaysLate,
                   COUNT(CASE WHEN g.status IN {OpenStatuses.Sql} THEN 1 END) AS Open,
                   COUNT(CASE WHEN g.status IN {OpenStatuses.Sql} AND g.deadline < @Today THEN 1 END) AS OpenOverdue,
                   COALESCE(mv.moves, 0) AS DeadlineChanges,
                   COUNT(CASE WHEN g.status IN {OpenStatuses.Sql}
                               AND COALESCE(g.last_check_in_at, g.created_at) < @StaleBeforeUtc THEN 1 END) AS StaleInitiatives
            FROM grouped g
            LEFT JOIN medians m ON m.group_id IS g.group_id
            LEFT JOIN moves mv ON mv.group_id IS g.group_id
            GROUP BY g.group_id
            ORDER BY MIN(g.group_order) IS NULL, MIN(g.group_order), g.group_id;
            """;
        await using var connection = await db.OpenAsync(cancellationToken);
        var groups = (await connection.QueryAsync<ExecutionRow>(new CommandDefinition(sql, new
        {
            query.DirectionId,
            query.OwnerId,
            query.TaskForceId,
            day.EndUtc,
            day.Today,
            From = query.From is { } from ? SqlText.Date(from) : "0000-01-01",
            To = SqlText.Date(to),
            FromUtc = query.From is { } f ? day.StartOf(f) : "",
            ToEndUtc = day.StartOf(to.AddDays(1)),
            StaleBeforeUtc = day.StartOf(day.Today.AddDays(-staleAfter)),
        }, cancellationToken: cancellationToken))).AsList();
        return new ExecutionReport
        {
            AsOf = day.Today,
            TimeZone = day.Zone.Id,
            GroupBy = ReportGrouping.Of(groupBy)!.Value,
            From = query.From,
            To = to,
            StaleAfterDays = staleAfter,
            Groups = groups,
        };
    }
}

internal static class ExecutionReportEndpoint
{
    public static void Map(RouteGroupBuilder group) => group.MapGet("/execution", Handle)
        .WithName("executionReport")
        .WithSummary("Prompt-execution scorecard per owner, task force or direction (JSON or CSV)");

    private static async Task<Results<Ok<ExecutionReport>, CsvResult<ExecutionRow>>> Handle(
        [AsParameters] ExecutionReportQuery query, [AsParameters] ReportDate date, [AsParameters] ReportScope scope, HttpRequest request, IMediator mediator, CancellationToken ct)
    {
        var csv = Csv.Negotiate(request, scope.Format);
        var report = await mediator.Send(query with { Date = date, Scope = scope, AsCsv = csv }, ct);
        return csv
            ? new CsvResult<ExecutionRow>($"execution-{query.Grouping}-{SqlText.Date(report.AsOf)}.csv", report.Groups)
            : TypedResults.Ok(report);
    }
}
