using System.ComponentModel;
using FluentValidation;
using InitiativeTracker.Api.Infrastructure.Database;
using InitiativeTracker.Api.Infrastructure.Http;
using InitiativeTracker.Api.Infrastructure.Validation;
using Microsoft.AspNetCore.Mvc;

namespace InitiativeTracker.Api.Features.Reports;

/// <summary>
/// The date a report is as of. Every report but the trend (whose points are each as of their own date)
/// binds it as a parameter of its own, before <see cref="ReportScope"/>, and hands it on in
/// <see cref="ReportQuery.Date"/>.
/// </summary>
internal sealed record ReportDate : IRequestPart
{
    /// <summary>The report's "today" (yyyy-MM-dd). Default: today in <c>tz</c>. A past date answers from history.</summary>
    [FromQuery(Name = "asOf")]
    public DateOnly? AsOf { get; init; }
}

/// <summary>
/// What every report takes: the zone its dates are read in, filters and the format. Report endpoints bind
/// it as a parameter of its own (the request delegate generator binds only the properties a type declares
/// itself, not a base record's) and hand it on in <see cref="ReportQuery.Scope"/>.
/// </summary>
internal sealed record ReportScope : IRequestPart
{
    /// <summary>IANA time zone that decides "today" and day boundaries. Default: the tracker's (Tracker:TimeZone).</summary>
    [FromQuery(Name = "tz")]
    public string? Tz { get; init; }

    [FromQuery(Name = "directionId")]
    public long? DirectionId { get; init; }

    [FromQuery(Name = "ownerId")]
    public long? OwnerId { get; init; }

    [FromQuery(Name = "taskForceId")]
    public long? TaskForceId { get; init; }

    /// <summary>json or csv. Without it, Accept decides: CSV when it rates text/csv above application/json, else JSON.</summary>
    [FromQuery(Name = "format")]
    public string? Format { get; init; }
}

/// <summary>What the row reports (overdue, upcoming) add to <see cref="ReportScope"/>: grouping and paging like lists.</summary>
internal sealed record ReportRows : IRequestPart
{
    /// <summary>owner, taskForce or direction: rows come ordered by group, and groups are counted.</summary>
    [FromQuery(Name = "groupBy")]
    public string? GroupBy { get; init; }

    [FromQuery(Name = "page")]
    [Description("The page, from 1.")]
    public int? Page { get; init; }

    [FromQuery(Name = "pageSize")]
    [Description("Items per page.")]
    [DefaultValue(ListQuery.DefaultPageSize)]
    public int? PageSize { get; init; }
}

/// <summary>A report's query: its own parameters (if any) and the <see cref="ReportDate"/> and <see cref="ReportScope"/> bound beside them.</summary>
internal abstract record ReportQuery
{
    internal ReportDate Date { get; init; } = new();

    internal ReportScope Scope { get; init; } = new();

    internal DateOnly? AsOf => Date.AsOf;

    internal string? Tz => Scope.Tz;

    internal long? DirectionId => Scope.DirectionId;

    internal long? OwnerId => Scope.OwnerId;

    internal long? TaskForceId => Scope.TaskForceId;

    internal string? Format => Scope.Format;

    /// <summary>Set by the endpoint from content negotiation; CSV has every row and no paging.</summary>
    internal bool AsCsv { get; init; }

    /// <summary>The filters as SQL over the <c>initiatives</c> alias <c>i</c>; only the given ones.</summary>
    /// <summary>
    /// Today's report (or a projected one), not narrowed to an owner or a task force: what the indexes on open
    /// initiatives by deadline and the tables the triggers keep (<c>open_deadline_counts</c>,
    /// <c>direction_tallies</c>) serve. A past day is rebuilt from history, and an owner's or a task force's
    /// initiatives are few enough to read and sort.
    /// </summary>
    internal bool IsTodayAcrossOwners(ReportDay day) => !day.Historical && OwnerId is null && TaskForceId is null;

    internal string InitiativeFilters()
    {
        List<string> clauses = [];
        if (DirectionId is not null)
        {
            clauses.Add("i.direction_id = @DirectionId");
        }

        if (OwnerId is not null)
        {
            clauses.Add("i.owner_id = @OwnerId");
        }

        if (TaskForceId is not null)
        {
            clauses.Add("i.task_force_id = @TaskForceId");
        }

        return clauses.Count == 0 ? "1 = 1" : string.Join(" AND ", clauses);
    }
}

/// <summary>A row report's query: <see cref="ReportQuery"/> and the <see cref="ReportRows"/> bound beside it.</summary>
internal abstract record RowReportQuery : ReportQuery
{
    internal ReportRows Rows { get; init; } = new();

    internal string? GroupBy => Rows.GroupBy;

    internal int? Page => Rows.Page;

    internal int? PageSize => Rows.PageSize;
}

internal sealed class ReportScopeValidator : AbstractValidator<ReportScope>
{
    public ReportScopeValidator()
    {
        RuleFor(q => q.Tz).MaximumLength(64)
            .Must(tz => tz is null || TimeZoneInfo.TryFindSystemTimeZoneById(tz, out _))
            .WithMessage("'tz' must be an IANA time zone such as Asia/Shanghai.");
        RuleFor(q => q.Format).OneOf(["json", "csv"], StringComparer.OrdinalIgnoreCase);
        RuleFor(q => q.DirectionId).Id();
        RuleFor(q => q.OwnerId).Id();
        RuleFor(q => q.TaskForceId).Id();
    }
}

internal sealed class ReportDateValidator : AbstractValidator<ReportDate>
{
    public ReportDateValidator()
    {
        RuleFor(q => q.AsOf)
            .Must(d => d is null || (d.Value.Year >= 2000 && d.Value.Year <= 2200))
            .WithMessage("'asOf' must be a date between 2000-01-01 and 2200-12-31.");
    }
}

internal sealed class ReportRowsValidator : AbstractValidator<ReportRows>
{
    public ReportRowsValidator()
    {
        RuleFor(q => q.GroupBy).OneOf<ReportRows, ReportGroupBy>();
        RuleFor(q => q.Page).PageNumber();
        RuleFor(q => q.PageSize).PageSize();
    }
}

/// <summary>
/// The report's day: "today" in the report's zone (or <c>asOf</c>), whether it lies in the past (so
/// the report is rebuilt from history), and the UTC instant the day ends, as stored text.
/// </summary>
internal sealed record ReportDay(DateOnly Today, TimeZoneInfo Zone, bool Historical, string EndUtc)
{
    public static ReportDay For(ReportQuery query, Infrastructure.Time.TrackerClock clock)
    {
        var zone = query.Tz is null ? clock.Zone : TimeZoneInfo.FindSystemTimeZoneById(query.Tz);
        var actualToday = clock.TodayIn(zone);
        var today = query.AsOf ?? actualToday;
        return new ReportDay(today, zone, today < actualToday, StartOf(today.AddDays(1), zone));
    }

    /// <summary>The UTC instant, as stored text, at which <paramref name="date"/> begins in this report's zone.</summary>
    public string StartOf(DateOnly date) => StartOf(date, Zone);

    /// <summary>The calendar date of a UTC instant in this report's zone.</summary>
    public DateOnly DateOf(DateTime utc) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(utc, Zone));

    private static string StartOf(DateOnly date, TimeZoneInfo zone)
    {
        var local = date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        // A day that starts inside a DST gap starts at the first valid instant after it.
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(30);
        }

        return SqlText.Timestamp(TimeZoneInfo.ConvertTimeToUtc(local, zone));
    }
}
