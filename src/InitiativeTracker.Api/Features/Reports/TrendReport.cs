using System.Text.Json.Serialization;
using Dapper;
using FluentValidation;
using InitiativeTracker.Api.Features.Initiatives;
using InitiativeTracker.Api.Infrastructure.Database;
using InitiativeTracker.Api.Infrastructure.Http;
using InitiativeTracker.Api.Infrastructure.Time;
using InitiativeTracker.Api.Infrastructure.Validation;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Primitives;

namespace InitiativeTracker.Api.Features.Reports;

internal sealed record TrendReportQuery : ReportQuery, IRequest<TrendReport>
{
    /// <summary>The first day the trend covers. Default: <c>to</c> − 12 weeks.</summary>
    [FromQuery(Name = "from")]
    public DateOnly? From { get; init; }

    /// <summary>The last day, the last point's date. Default: today in <c>tz</c>.</summary>
    [FromQuery(Name = "to")]
    public DateOnly? To { get; init; }

    /// <summary>day, week (ISO, Monday to Sunday; the default) or month: a point at the end of each.</summary>
    [FromQuery(Name = "interval")]
    public string? Interval { get; init; }

    /// <summary>owner, taskForce or direction: a series per group. Default: one series for everything.</summary>
    [FromQuery(Name = "groupBy")]
    public string? GroupBy { get; init; }

    /// <summary>Set by the endpoint: the request carries <c>asOf</c>, which the trend does not take (each point is as of its own date).</summary>
    internal bool GivesAsOf { get; init; }

    /// <summary>The range and interval with their defaults: <c>to</c> is <paramref name="today"/> in the report's zone, <c>from</c> 12 weeks before it.</summary>
    internal (DateOnly From, DateOnly To, string Interval) Range(DateOnly today)
    {
        var to = To ?? today;
        return (From ?? TrendPeriods.DefaultFrom(to), to, Interval ?? TrendPeriods.Week);
    }
}

/// <summary>
/// The trend's rules. The limit on points depends on the defaults (<c>to</c> is today in <c>tz</c>), so
/// this validator reads the clock; it does no I/O.
/// </summary>
internal sealed class TrendReportValidator : AbstractValidator<TrendReportQuery>
{
    public TrendReportValidator(TrackerClock clock)
    {
        RuleFor(q => q.Interval).OneOf<TrendReportQuery, TrendInterval>();
        RuleFor(q => q.GroupBy).OneOf<TrendReportQuery, ReportGroupBy>();
        RuleFor(q => q.From).InRange();
        RuleFor(q => q.To).InRange();
        RuleFor(q => q.GivesAsOf).Equal(false).OverridePropertyName("asOf")
            .WithMessage("The trend takes 'from' and 'to', not 'asOf': each point is the snapshot as of its own date.");
        RuleFor(q => q).Custom((q, context) =>
        {
            if ((q.From is { } f && !DateRules.InRange(f)) || (q.To is { } t && !DateRules.InRange(t))
                || (q.Interval is not null && !EnumText.TryParse<TrendInterval>(q.Interval, out _))
                || (q.Tz is not null && !TimeZoneInfo.TryFindSystemTimeZoneById(q.Tz, out _)))
            {
                return; // Reported by the rules above (or the scope's).
            }

            var (from, to, interval) = q.Range(ReportDay.For(q, clock).Today);
            if (from > to)
            {
                context.AddFailure("from", $"'from' ({SqlText.Date(from)}) must not be after 'to' ({SqlText.Date(to)}{(q.To is null ? ", today" : "")}).");
            }
            else if (TrendPeriods.Count(from, to, interval) is var count and > TrendPeriods.MaxPoints)
            {
                context.AddFailure("from", $"From {SqlText.Date(from)} to {SqlText.Date(to)} by {interval} is {count} points; "
                    + $"at most {TrendPeriods.MaxPoints}: use a later 'from' or a longer 'interval'.");
            }
        });
    }
}

/// <summary>
/// Where the initiatives stood at the end of one period (by the rules of <c>/reports/progress?asOf=</c>
/// that date), and what happened within the period.
/// </summary>
internal record TrendPoint
{
    /// <summary>The period's last day (the last point's is <c>to</c>): the snapshot is as of the end of it.</summary>
    public DateOnly Date { get; init; }

    public long Total { get; init; }

    /// <summary>planned, in_progress or blocked.</summary>
    public long Open { get; init; }

    public long Planned { get; init; }
    public long InProgress { get; init; }
    public long Blocked { get; init; }
    public long Done { get; init; }
    public long Cancelled { get; init; }

    /// <summary>Mean progress (0–100, one decimal) of the open initiatives; null when none is open.</summary>
    public double? MeanProgress { get; init; }

    /// <summary>Open initiatives past their deadline on that date.</summary>
    public long Overdue { get; init; }

    /// <summary>Open initiatives whose health is at_risk.</summary>
    public long AtRisk { get; init; }

    /// <summary>Open initiatives whose health is off_track.</summary>
    public long OffTrack { get; init; }

    /// <summary>Done initiatives completed on or before their deadline, as a fraction 0–1 of the done ones; null when none is done.</summary>
    public double? OnTimeRate { get; init; }

    /// <summary>Initiatives done on that date whose completedOn lies within the period.</summary>
    public long Completed { get; init; }

    /// <summary>Of those, completed on or before their deadline (as on that date).</summary>
    public long CompletedOnTime { get; init; }

    /// <summary>Initiatives created within the period.</summary>
    public long Created { get; init; }

    /// <summary>Deadline moves made within the period.</summary>
    public long DeadlineMoves { get; init; }
}

/// <summary>One group's points (or everything's, without groupBy).</summary>
internal sealed record TrendSeries
{
    /// <summary>The owner, task force or direction id; null without groupBy, and for initiatives without a task force.</summary>
    public long? GroupId { get; init; }

    /// <summary>The group's name; "all" without groupBy.</summary>
    public required string GroupName { get; init; }

    public required IReadOnlyList<TrendPoint> Points { get; init; }
}

internal sealed record TrendReport
{
    public DateOnly From { get; init; }
    public DateOnly To { get; init; }
    public TrendInterval Interval { get; init; }
    public required string TimeZone { get; init; }
    public ReportGroupBy? GroupBy { get; init; }

    /// <summary>One series without groupBy; with it, one per group that has initiatives (in the groupBy order of the other reports).</summary>
    public required IReadOnlyList<TrendSeries> Series { get; init; }
}

/// <summary>A CSV row: a point of one group's series.</summary>
internal sealed record TrendCsvRow : TrendPoint
{
    public TrendCsvRow(TrendSeries series, TrendPoint point)
        : base(point)
    {
        GroupId = series.GroupId;
        GroupName = series.GroupName;
    }

    /// <summary>The first column.</summary>
    [JsonPropertyOrder(-2)]
    public long? GroupId { get; init; }

    /// <summary>The second column, then the point's.</summary>
    [JsonPropertyOrder(-1)]
    public string GroupName { get; init; }
}

internal sealed class TrendReportHandler(Db db, TrackerClock clock) : IRequestHandler<TrendReportQuery, TrendReport>
{
    public async Task<TrendReport> Handle(TrendReportQuery query, CancellationToken cancellationToken)
    {
        var day = ReportDay.For(query, clock);
        var (from, to, interval) = query.Range(day.Today);
        var dates = TrendPeriods.Dates(from, to, interval);

        await using var connection = await db.OpenAsync(cancellationToken);
        IReadOnlyList<TrendGroup> groups = query.GroupBy is null
            ? [new TrendGroup { GroupName = "all" }]
            : [.. await connection.QueryAsync<TrendGroup>(new CommandDefinition(ReportGrouping.AllGroups(query.GroupBy), cancellationToken: cancellationToken)),
                .. query.GroupBy == ReportGrouping.TaskForce ? [new TrendGroup { GroupName = ReportGrouping.NoTaskForce }] : Array.Empty<TrendGroup>()];
        var points = await TrendHistory.ReplayAsync(connection, query, query.GroupBy, day, from, dates, groups, cancellationToken);

        var series = new List<TrendSeries>();
        for (var g = 0; g < groups.Count; g++)
        {
            if (query.GroupBy is null || points[g].Any(p => p.Total > 0))
            {
                series.Add(new TrendSeries { GroupId = groups[g].GroupId, GroupName = groups[g].GroupName, Points = points[g] });
            }
        }

        return new TrendReport
        {
            From = from,
            To = to,
            Interval = TrendPeriods.Of(interval),
            TimeZone = day.Zone.Id,
            GroupBy = ReportGrouping.Of(query.GroupBy),
            Series = series,
        };
    }
}

/// <summary>A group as read: settable properties, as Dapper maps them.</summary>
internal sealed record TrendGroup
{
    public long? GroupId { get; init; }
    public required string GroupName { get; init; }
}

internal static class TrendReportEndpoint
{
    public static void Map(RouteGroupBuilder group) => group.MapGet("/trend", Handle)
        .WithName("trendReport")
        .WithSummary("Progress over time: a snapshot per day, week or month between two dates, optionally per group (JSON or CSV)")
        .WithDescription($"""
            Each point is the snapshot as of its date, by the rules of `/reports/progress?asOf=<date>` (a date
            before today is rebuilt from history; today and later project today's state), plus what happened
            within its period: completions, creations and deadline moves. Periods are days, ISO weeks (Monday to
            Sunday) or calendar months; a point's `date` is its period's last day, except the last point's,
            which is `to`, and the first period starts at `from`. At most {TrendPeriods.MaxPoints} points: a longer range
            is a 400 keyed `from`, as is a `from` after `to`. `asOf` does not apply (a 400).
            """);

    private static async Task<Results<Ok<TrendReport>, CsvResult<TrendCsvRow>>> Handle(
        [AsParameters] TrendReportQuery query, [AsParameters] ReportScope scope, HttpRequest request, IMediator mediator, CancellationToken ct)
    {
        var csv = Csv.Negotiate(request, scope.Format);
        // Not a parameter of the trend, so not bound: rejected by name rather than ignored.
        var givesAsOf = !StringValues.IsNullOrEmpty(request.Query["asOf"]);
        var report = await mediator.Send(query with { Scope = scope, GivesAsOf = givesAsOf, AsCsv = csv }, ct);
        return csv
            ? new CsvResult<TrendCsvRow>($"trend-{report.Interval.ToText()}-{SqlText.Date(report.To)}.csv",
                report.Series.SelectMany(s => s.Points.Select(p => new TrendCsvRow(s, p))))
            : TypedResults.Ok(report);
    }
}
