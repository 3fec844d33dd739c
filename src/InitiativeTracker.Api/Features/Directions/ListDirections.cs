using FluentValidation;
using InitiativeTracker.Api.Infrastructure.Database;
using InitiativeTracker.Api.Infrastructure.Http;
using InitiativeTracker.Api.Infrastructure.Validation;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace InitiativeTracker.Api.Features.Directions;

internal sealed record ListDirectionsQuery : ListQuery, IRequest<Paged<DirectionResponse>>
{
    /// <summary>Only the directions of this meeting.</summary>
    [FromQuery(Name = "meetingId")]
    public long? MeetingId { get; init; }

    [FromQuery(Name = "sort")]
    public string? Sort { get; init; }

    internal static readonly SortFields Sortable = new(new Dictionary<string, string>
    {
        ["number"] = "number",
        ["title"] = "title COLLATE NOCASE",
        ["meetingId"] = "meeting_id",
        ["createdAt"] = "created_at",
        ["updatedAt"] = "updated_at",
    }, "meeting_id ASC, number ASC, id ASC");
}

internal sealed class ListDirectionsValidator : AbstractValidator<ListDirectionsQuery>
{
    public ListDirectionsValidator()
    {
        RuleFor(q => q.Sort).SortableBy(ListDirectionsQuery.Sortable);
        RuleFor(q => q.MeetingId).Id();
    }
}

internal sealed class ListDirectionsHandler(Db db) : IRequestHandler<ListDirectionsQuery, Paged<DirectionResponse>>
{
    private const string Where = "WHERE (@MeetingId IS NULL OR meeting_id = @MeetingId)";

    public Task<Paged<DirectionResponse>> Handle(ListDirectionsQuery query, CancellationToken cancellationToken) =>
        db.PageAsync<DirectionResponse>(DirectionResponse.Columns, $"directions {Where}", ListDirectionsQuery.Sortable.OrderBy(query.Sort),
            new { query.MeetingId }, query, cancellationToken);
}

internal static class ListDirections
{
    public static void Map(RouteGroupBuilder group) => group.MapGet("/", Handle)
        .WithName("listDirections")
        .WithSummary("List strategic directions, optionally of one meeting");

    private static async Task<Ok<Paged<DirectionResponse>>> Handle([AsParameters] ListDirectionsQuery query, [AsParameters] ListPaging paging, IMediator mediator, CancellationToken ct) =>
        TypedResults.Ok(await mediator.Send(query with { Paging = paging }, ct));
}
