using FluentValidation;
using InitiativeTracker.Api.Features.Initiatives;
using InitiativeTracker.Api.Infrastructure.Database;
using InitiativeTracker.Api.Infrastructure.Http;
using InitiativeTracker.Api.Infrastructure.Time;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace InitiativeTracker.Api.Features.Reports;

internal sealed record UpcomingReportQuery : RowReportQuery, IRequest<UpcomingReport>
{
    /// <summary>Due from today through today + withinDays (0–366, default 14).</summary>
    [FromQuery(Name = "withinDays")]
    public int? WithinDays { get; init; }
}

internal sealed class UpcomingReportValidator : AbstractValidator<UpcomingReportQuery>
{
    public UpcomingReportValidator() => RuleFor(q => q.WithinDays).InclusiveBetween(0, 366);
}

/// <summary>An open initiative due soon.</summary>
internal sealed record UpcomingRow
{
    public long InitiativeId { get; init; }
    public required string Title { get; init; }
    public long DirectionId { get; init; }
    public int DirectionNumber { get; init; }
    public required string DirectionTitle { get; init; }
    public long OwnerId { get; init; }
    public required string OwnerName { get; init; }
    public string? OwnerEmail { get; init; }
    public long? TaskForceId { get; init; }
    public string? TaskForceName { get; init; }
    public DateOnly Deadline { get; init; }

    /// <summary>Deadline − the report's today (0 = due today).</summary>
    public int DaysUntilDeadline { get; init; }

    public int Progress { get; init; }
    public InitiativeStatus Status { get; init; }
    public Health Health { get; init; }
    public DateTime? LastCheckInAt { get; init; }
    public int? DaysSinceLastCheckIn { get; init; }

    internal static UpcomingRow From(DeadlineReportRows.Data r, ReportDay day) => new()
    {
        InitiativeId = r.InitiativeId,
        Title = r.Title,
        DirectionId = r.DirectionId,
        DirectionNumber = r.DirectionNumber,
        DirectionTitle = r.DirectionTitle,
        OwnerId = r.OwnerId,
        OwnerName = r.OwnerName,
        OwnerEmail = r.OwnerEmail,
        TaskForceId = r.TaskForceId,
        TaskForceName = r.TaskForceName,
        Deadline = r.Deadline,
        DaysUntilDeadline = r.Deadline.DayNumber - day.Today.DayNumber,
        Progress = r.Progress,
        Status = r.StatusValue,
        Health = r.HealthValue,
        LastCheckInAt = r.LastCheckInAt,
        DaysSinceLastCheckIn = r.DaysSinceLastCheckIn(day),
    };
}

/// <summary>Open initiatives due within the next days, soonest first.</summary>
internal sealed record UpcomingReport
{
    public DateOnly AsOf { get; init; }
    public required string TimeZone { get; init; }
    public int WithinDays { get; init; }
    public ReportGroupBy? GroupBy { get; init; }
    public required IReadOnlyList<UpcomingRow> Items { get; init; }
    public int Page { get; init; }
    public int PageSize { get; init; }
    public long TotalCount { get; init; }
    public IReadOnlyList<ReportGroup>? Groups { get; init; }

    /// <summary>Every row, streamed, for the CSV form (not part of the JSON).</summary>
    internal IAsyncEnumerable<UpcomingRow>? AllRows { get; init; }
}

internal sealed class UpcomingReportHandler(Db db, TrackerClock clock) : IRequestHandler<UpcomingReportQuery, UpcomingReport>
{
    private const int DefaultWithinDays = 14;
    internal const string DueWithin = "s.deadline >= @Today AND s.deadline <= @Until";

    public async Task<UpcomingReport> Handle(UpcomingReportQuery query, CancellationToken cancellationToken)
    {
        var day = ReportDay.For(query, clock);
        var within = query.WithinDays ?? DefaultWithinDays;
        var until = new { Until = SqlText.Date(day.Today.AddDays(within)) };
        if (query.AsCsv)
        {
            return new UpcomingReport
            {
                AsOf = day.Today,
                TimeZone = day.Zone.Id,
                WithinDays = within,
                GroupBy = ReportGrouping.Of(query.GroupBy),
                Items = [],
                AllRows = DeadlineReportRows.StreamAsync(db, query, day, DueWithin, query.GroupBy, until, CancellationToken.None)
                    .Select(r => UpcomingRow.From(r, day)),
            };
        }

        var page = query.Page ?? 1;
        var size = query.PageSize ?? ListQuery.DefaultPageSize;
        var result = await DeadlineReportRows.QueryAsync(db, query, day, DueWithin, query.GroupBy,
            size, (long)(page - 1) * size, until, cancellationToken);
        return new UpcomingReport
        {
            AsOf = day.Today,
            TimeZone = day.Zone.Id,
            WithinDays = within,
            GroupBy = ReportGrouping.Of(query.GroupBy),
            Items = result.Rows.Select(r => UpcomingRow.From(r, day)).ToList(),
            Page = page,
            PageSize = size,
            TotalCount = result.TotalCount,
            Groups = result.Groups,
        };
    }
}

internal static class UpcomingReportEndpoint
{
    public static void Map(RouteGroupBuilder group) => group.MapGet("/upcoming", Handle)
        .WithName("upcomingReport")
        .WithSummary("Open initiatives due within withinDays (default 14), soonest first (JSON pages, or every row as CSV)");

    private static async Task<Results<Ok<UpcomingReport>, CsvResult<UpcomingRow>>> Handle(
        [AsParameters] UpcomingReportQuery query, [AsParameters] ReportDate date, [AsParameters] ReportScope scope, [AsParameters] ReportRows rows,
        HttpRequest request, IMediator mediator, CancellationToken ct)
    {
        var csv = Csv.Negotiate(request, scope.Format);
        var report = await mediator.Send(query with { Date = date, Scope = scope, Rows = rows, AsCsv = csv }, ct);
        return csv
            ? new CsvResult<UpcomingRow>($"upcoming-{SqlText.Date(report.AsOf)}.csv", report.AllRows!)
            : TypedResults.Ok(report);
    }
}
