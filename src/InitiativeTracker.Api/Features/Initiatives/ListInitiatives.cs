using FluentValidation;
using InitiativeTracker.Api.Infrastructure.Database;
using InitiativeTracker.Api.Infrastructure.Http;
using InitiativeTracker.Api.Infrastructure.Time;
using InitiativeTracker.Api.Infrastructure.Validation;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace InitiativeTracker.Api.Features.Initiatives;

internal sealed record ListInitiativesQuery : ListQuery, IRequest<Paged<InitiativeResponse>>
{
    [FromQuery(Name = "directionId")]
    public long? DirectionId { get; init; }

    [FromQuery(Name = "ownerId")]
    public long? OwnerId { get; init; }

    [FromQuery(Name = "taskForceId")]
    public long? TaskForceId { get; init; }

    /// <summary>Any of these statuses (repeat the parameter): planned, in_progress, blocked, done, cancelled.</summary>
    [FromQuery(Name = "status")]
    public string[]? Status { get; init; }

    /// <summary>Any of these healths (repeat the parameter): on_track, at_risk, off_track.</summary>
    [FromQuery(Name = "health")]
    public string[]? Health { get; init; }

    /// <summary>Deadline strictly before this date (yyyy-MM-dd; text, so that no other form binds).</summary>
    [FromQuery(Name = "dueBefore")]
    public string? DueBefore { get; init; }

    /// <summary>Deadline strictly after this date (yyyy-MM-dd; text, so that no other form binds).</summary>
    [FromQuery(Name = "dueAfter")]
    public string? DueAfter { get; init; }

    /// <summary>true: only open initiatives past their deadline; false: only the others.</summary>
    [FromQuery(Name = "overdue")]
    public bool? Overdue { get; init; }

    /// <summary>Text in the title or description.</summary>
    [FromQuery(Name = "q")]
    public string? Q { get; init; }

    [FromQuery(Name = "sort")]
    public string? Sort { get; init; }

    internal static readonly SortFields Sortable = new(new Dictionary<string, string>
    {
        ["id"] = "id",
        ["title"] = "title COLLATE NOCASE",
        ["deadline"] = "deadline",
        ["originalDeadline"] = "original_deadline",
        ["startDate"] = "start_date",
        ["status"] = "status",
        ["progress"] = "progress",
        ["health"] = "health",
        ["completedOn"] = "completed_on",
        ["lastCheckInAt"] = "last_check_in_at",
        ["createdAt"] = "created_at",
        ["updatedAt"] = "updated_at",
    }, "deadline ASC, id ASC");
}

internal sealed class ListInitiativesValidator : AbstractValidator<ListInitiativesQuery>
{
    /// <summary>A repeated filter names each value at most once; ten is more than every status.</summary>
    private const int MaxFilterValues = 10;

    public ListInitiativesValidator()
    {
        RuleFor(q => q.Sort).SortableBy(ListInitiativesQuery.Sortable);
        RuleFor(q => q.DirectionId).Id();
        RuleFor(q => q.OwnerId).Id();
        RuleFor(q => q.TaskForceId).Id();
        RuleFor(q => q.Status).EachOneOf<ListInitiativesQuery, InitiativeStatus>(MaxFilterValues);
        RuleFor(q => q.Health).EachOneOf<ListInitiativesQuery, Health>(MaxFilterValues);
        RuleFor(q => q.Q).Optional(200);
        RuleFor(q => q.DueBefore).IsoDate();
        RuleFor(q => q.DueAfter).IsoDate();
    }
}

internal sealed class ListInitiativesHandler(Db db, TrackerClock clock) : IRequestHandler<ListInitiativesQuery, Paged<InitiativeResponse>>
{
    public async Task<Paged<InitiativeResponse>> Handle(ListInitiativesQuery query, CancellationToken cancellationToken)
    {
        var today = clock.Today;
        var parameters = new
        {
            query.DirectionId,
            query.OwnerId,
            query.TaskForceId,
            query.Status,
            query.Health,
            // Validated yyyy-MM-dd text: it compares with the stored deadlines as the dates do.
            query.DueBefore,
            query.DueAfter,
            Today = today,
            Q = Like.Contains(query.Q),
        };
        var rows = await db.PageAsync<InitiativeRow>(InitiativeRow.Columns, $"initiatives {Filters(query)}",
            ListInitiativesQuery.Sortable.OrderBy(query.Sort), parameters, query, cancellationToken);
        return rows.Select(r => r.ToResponse(today));
    }

    /// <summary>Only the filters given make it into the WHERE clause, so SQLite can use the matching index.</summary>
    internal static string Filters(ListInitiativesQuery query)
    {
        List<string> clauses = [];
        if (query.DirectionId is not null)
        {
            clauses.Add("direction_id = @DirectionId");
        }

        if (query.OwnerId is not null)
        {
            clauses.Add("owner_id = @OwnerId");
        }

        if (query.TaskForceId is not null)
        {
            clauses.Add("task_force_id = @TaskForceId");
        }

        if (query.Status is { Length: > 0 })
        {
            clauses.Add("status IN @Status");
        }

        if (query.Health is { Length: > 0 })
        {
            clauses.Add("health IN @Health");
        }

        if (query.DueBefore is not null)
        {
            clauses.Add("deadline < @DueBefore");
        }

        if (query.DueAfter is not null)
        {
            clauses.Add("deadline > @DueAfter");
        }

        if (query.Overdue is { } overdue)
        {
            var isOverdue = $"(status IN {OpenStatuses.Sql} AND deadline < @Today)";
            clauses.Add(overdue ? isOverdue : $"NOT {isOverdue}");
        }

        if (!string.IsNullOrEmpty(query.Q))
        {
            clauses.Add(@"(title LIKE @Q ESCAPE '\' OR description LIKE @Q ESCAPE '\')");
        }

        return clauses.Count == 0 ? "" : "WHERE " + string.Join(" AND ", clauses);
    }
}

internal static class ListInitiatives
{
    public static void Map(RouteGroupBuilder group) => group.MapGet("/", Handle)
        .WithName("listInitiatives")
        .WithSummary("List initiatives: filter, sort, page");

    private static async Task<Ok<Paged<InitiativeResponse>>> Handle([AsParameters] ListInitiativesQuery query, [AsParameters] ListPaging paging, IMediator mediator, CancellationToken ct) =>
        TypedResults.Ok(await mediator.Send(query with { Paging = paging }, ct));
}
