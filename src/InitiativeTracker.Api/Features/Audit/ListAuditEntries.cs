using System.Globalization;
using FluentValidation;
using InitiativeTracker.Api.Features.Initiatives;
using InitiativeTracker.Api.Infrastructure.Audit;
using InitiativeTracker.Api.Infrastructure.Database;
using InitiativeTracker.Api.Infrastructure.Errors;
using InitiativeTracker.Api.Infrastructure.Http;
using InitiativeTracker.Api.Infrastructure.Time;
using InitiativeTracker.Api.Infrastructure.Validation;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace InitiativeTracker.Api.Features.Audit;

/// <summary>The audit trail, newest first, narrowed by any of the filters given.</summary>
internal sealed record ListAuditEntriesQuery : ListQuery, IRequest<Paged<AuditEntryResponse>>
{
    /// <summary>One of: initiative, owner, task_force, meeting, direction, check_in, api_key, webhook.</summary>
    [FromQuery(Name = "entityType")]
    public string? EntityType { get; init; }

    [FromQuery(Name = "entityId")]
    public long? EntityId { get; init; }

    /// <summary>The API key name that made the change (exact).</summary>
    [FromQuery(Name = "actor")]
    public string? Actor { get; init; }

    /// <summary>Entries at or after this: a timestamp with Z or an offset (2026-03-10T02:00:00Z), or a date, meaning the start of that day in the tracker's time zone.</summary>
    [FromQuery(Name = "from")]
    public string? From { get; init; }

    /// <summary>Entries before this (exclusive): a timestamp with Z or an offset, or a date, meaning the start of that day in the tracker's time zone.</summary>
    [FromQuery(Name = "to")]
    public string? To { get; init; }

    [FromQuery(Name = "sort")]
    public string? Sort { get; init; }

    internal static readonly SortFields Sortable = new(new Dictionary<string, string>
    {
        ["occurredAt"] = "occurred_at",
    }, "occurred_at DESC, id DESC");
}

internal sealed class ListAuditEntriesValidator : AbstractValidator<ListAuditEntriesQuery>
{
    public ListAuditEntriesValidator()
    {
        RuleFor(q => q.Sort).SortableBy(ListAuditEntriesQuery.Sortable);
        RuleFor(q => q.EntityId).Id();
        RuleFor(q => q.EntityType).OneOf<ListAuditEntriesQuery, AuditEntityType>();
        RuleFor(q => q.Actor).Optional(200);
        RuleFor(q => q.From).Must(AuditInstant.IsWellFormed).WithMessage(AuditInstant.Expected)
            .Must(AuditInstant.IsInRange).WithMessage(AuditInstant.OutOfRange);
        RuleFor(q => q.To).Must(AuditInstant.IsWellFormed).WithMessage(AuditInstant.Expected)
            .Must(AuditInstant.IsInRange).WithMessage(AuditInstant.OutOfRange);
    }
}

internal sealed class ListAuditEntriesHandler(Db db, TrackerClock clock) : IRequestHandler<ListAuditEntriesQuery, Paged<AuditEntryResponse>>
{
    public async Task<Paged<AuditEntryResponse>> Handle(ListAuditEntriesQuery query, CancellationToken cancellationToken)
    {
        var from = AuditInstant.ParseOrNull(query.From, clock.Zone);
        var to = AuditInstant.ParseOrNull(query.To, clock.Zone);
        if (from >= to)
        {
            throw Invalid.Field("to", "'to' must be after 'from'.");
        }

        var rows = await db.PageAsync<AuditEntryRow>(AuditEntryRow.Columns, $"audit_entries {Filters(query)}",
            ListAuditEntriesQuery.Sortable.OrderBy(query.Sort),
            new { query.EntityType, query.EntityId, query.Actor, From = from, To = to }, query, cancellationToken);
        return rows.Select(r => r.ToResponse());
    }

    /// <summary>Only the filters given make it into the WHERE clause, so SQLite can use the matching index.</summary>
    private static string Filters(ListAuditEntriesQuery query)
    {
        List<string> clauses = [];
        if (query.EntityType is not null)
        {
            clauses.Add("entity_type = @EntityType");
        }

        if (query.EntityId is not null)
        {
            clauses.Add("entity_id = @EntityId");
        }

        if (query.Actor is not null)
        {
            clauses.Add("actor = @Actor");
        }

        if (query.From is not null)
        {
            clauses.Add("occurred_at >= @From");
        }

        if (query.To is not null)
        {
            clauses.Add("occurred_at < @To");
        }

        return clauses.Count == 0 ? "" : "WHERE " + string.Join(" AND ", clauses);
    }
}

/// <summary>
/// The instants <c>from</c> and <c>to</c> accept: an ISO 8601 timestamp with its offset, or a date in the
/// tracker's zone, either within <see cref="DateRules.Range"/>. The bound keeps the start of a date in
/// any zone a valid instant: 0001-01-01 at midnight in Shanghai would be before the first one.
/// </summary>
internal static class AuditInstant
{
    public const string Expected = "Give a timestamp with Z or an offset (2026-03-10T02:00:00Z) or a date (2026-03-10, the start of that day in the tracker's time zone).";

    public const string OutOfRange = $"'{{PropertyName}}' must lie {DateRules.Range}.";

    private static readonly string[] s_timestampFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz",
        "yyyy-MM-dd'T'HH:mm'Z'",
        "yyyy-MM-dd'T'HH:mmzzz",
    ];

    /// <summary>Absent, or a date or timestamp in one of the accepted forms.</summary>
    public static bool IsWellFormed(string? text) => text is null || TryRead(text, out _, out _);

    /// <summary>Absent, unreadable (reported by <see cref="IsWellFormed"/>), or within <see cref="DateRules.Range"/>.</summary>
    public static bool IsInRange(string? text) =>
        text is null || !TryRead(text, out var date, out var instant)
        || DateRules.InRange(date ?? DateOnly.FromDateTime(instant!.Value.UtcDateTime));

    /// <summary>For text the validator has accepted.</summary>
    public static DateTime? ParseOrNull(string? text, TimeZoneInfo zone) =>
        text is not null && TryParse(text, zone, out var utc) ? utc : null;

    /// <summary>
    /// The UTC instant <paramref name="text"/> names, rounded up to the millisecond the trail stores, so
    /// <c>occurred_at &gt;= from</c> and <c>occurred_at &lt; to</c> stay exact.
    /// </summary>
    private static bool TryParse(string text, TimeZoneInfo zone, out DateTime utc)
    {
        utc = default;
        if (!TryRead(text, out var date, out var instant) || !DateRules.InRange(date ?? DateOnly.FromDateTime(instant!.Value.UtcDateTime)))
        {
            return false;
        }

        if (date is { } day)
        {
            var midnight = day.ToDateTime(TimeOnly.MinValue);
            utc = new DateTimeOffset(midnight, zone.GetUtcOffset(midnight)).UtcDateTime;
            return true;
        }

        var ticks = instant!.Value.UtcTicks;
        var remainder = ticks % TimeSpan.TicksPerMillisecond;
        utc = new DateTime(remainder == 0 ? ticks : ticks - remainder + TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);
        return true;
    }

    private static bool TryRead(string text, out DateOnly? date, out DateTimeOffset? instant)
    {
        date = null;
        instant = null;
        if (DateOnly.TryParseExact(text, SqlText.DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            date = day;
        }
        else if (DateTimeOffset.TryParseExact(text, s_timestampFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            instant = parsed;
        }

        return date is not null || instant is not null;
    }
}

internal static class ListAuditEntries
{
    public static void Map(RouteGroupBuilder group) => group.MapGet("/", Handle)
        .WithName("listAuditEntries")
        .WithSummary("The audit trail, newest first: filter by entityType, entityId, actor, from (inclusive) and to (exclusive)")
        .WithDescription($"`entityType` is one of: {EnumText.Names<AuditEntityType>()}. `actor` is an API key's name, matched exactly. "
            + "`from` and `to` take a timestamp with `Z` or an offset (`2026-03-10T02:00:00Z`, `2026-03-10T10:00:00+08:00`) or a date "
            + "(`2026-03-10`), which means the start of that day in the tracker's time zone; so `from=2026-03-10&to=2026-03-11` is that whole day. "
            + "Each entry's `changes` is an object `{ field: { before, after } }` of the fields the write changed.");

    private static async Task<Ok<Paged<AuditEntryResponse>>> Handle([AsParameters] ListAuditEntriesQuery query, [AsParameters] ListPaging paging, IMediator mediator, CancellationToken ct) =>
        TypedResults.Ok(await mediator.Send(query with { Paging = paging }, ct));
}
