using InitiativeTracker.Api.Features.Initiatives;
using InitiativeTracker.Api.Infrastructure.Database;
using InitiativeTracker.Api.Infrastructure.Http;
using InitiativeTracker.Api.Infrastructure.Time;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace InitiativeTracker.Api.Features.Reports;

internal sealed record OverdueReportQuery : RowReportQuery, IRequest<OverdueReport>;


/// <summary>An open initiative past its deadline.</summary>
internal sealed record OverdueRow
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

    /// <summary>The report's today − deadline.</summary>
    public int DaysOverdue { get; init; }

    public int Progress { get; init; }
    public InitiativeStatus Status { get; init; }
    public Health Health { get; init; }
    public DateTime? LastCheckInAt { get; init; }

    /// <summary>The report's today − the date of the last check-in; null when there was none.</summary>
    public int? DaysSinceLastCheckIn { get; init; }

    internal static OverdueRow From(DeadlineReportRows.Data r, ReportDay day) => new()
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
        DaysOverdue = day.Today.DayNumber - r.Deadline.DayNumber,
        Progress = r.Progress,
        Status = r.StatusValue,
        Health = r.HealthValue,
        LastCheckInAt = r.LastCheckInAt,
        DaysSinceLastCheckIn = r.DaysSinceLastCheckIn(day),
    };
}

/// <summary>Open initiatives past their deadline as of a date, most overdue first.</summary>
internal sealed record OverdueReport
{
    public DateOnly AsOf { get; init; }
    public required string TimeZone { get; init; }
    public ReportGroupBy? GroupBy { get; init; }
    public required IReadOnlyList<OverdueRow> Items { get; init; }
    public int Page { get; init; }
    public int PageSize { get; init; }

    /// <summary>Overdue initiatives over all pages.</summary>
    public long TotalCount { get; init; }

    /// <summary>Overdue initiatives per group, when grouped.</summary>
    public IReadOnlyList<ReportGroup>? Groups { get; init; }

    /// <summary>Every row, streamed, for the CSV form (not part of the JSON).</summary>
    internal IAsyncEnumerable<OverdueRow>? AllRows { get; init; }
}

internal sealed class OverdueReportHandler(Db db, TrackerClock clock) : IRequestHandler<OverdueReportQuery, OverdueReport>
{
    internal const string PastDeadline = "s.deadline < @Today";

    public async Task<OverdueReport> Handle(OverdueReportQuery query, CancellationToken cancellationToken)
    {
        var day = ReportDay.For(query, clock);
        if (query.AsCsv)
        {
            return new OverdueReport
            {
                AsOf = day.Today,
                TimeZone = day.Zone.Id,
                GroupBy = ReportGrouping.Of(query.GroupBy),
                Items = [],
                AllRows = DeadlineReportRows.StreamAsync(db, query, day, PastDeadline, query.GroupBy, new { }, CancellationToken.None)
                    .Select(r => OverdueRow.From(r, day)),
            };
        }

        var page = query.Page ?? 1;
        var size = query.PageSize ?? ListQuery.DefaultPageSize;
        var result = await DeadlineReportRows.QueryAsync(db, query, day, PastDeadline, query.GroupBy,
            size, (long)(page - 1) * size, new { }, cancellationToken);
        return new OverdueReport
        {
            AsOf = day.Today,
            TimeZone = day.Zone.Id,
            GroupBy = ReportGrouping.Of(query.GroupBy),
            Items = result.Rows.Select(r => OverdueRow.From(r, day)).ToList(),
            Page = page,
            PageSize = size,
            TotalCount = result.TotalCount,
            Groups = result.Groups,
        };
    }
}

internal static class OverdueReportEndpoint
{
    public static void Map(RouteGroupBuilder group) => group.MapGet("/overdue", Handle)
        .WithName("overdueReport")
        .WithSummary("Open initiatives past their deadline, most overdue first (JSON pages, or every row as CSV)");

    private static async Task<Results<Ok<OverdueReport>, CsvResult<OverdueRow>>> Handle(
        [AsParameters] ReportDate date, [AsParameters] ReportScope scope, [AsParameters] ReportRows rows, HttpRequest request, IMediator mediator, CancellationToken ct)
    {
        var csv = Csv.Negotiate(request, scope.Format);
        var report = await mediator.Send(new OverdueReportQuery { Date = date, Scope = scope, Rows = rows, AsCsv = csv }, ct);
        return csv
            ? new CsvResult<OverdueRow>($"overdue-{SqlText.Date(report.AsOf)}.csv", report.AllRows!)
            : TypedResults.Ok(report);
    }
}
