using FluentValidation;
using InitiativeTracker.Api.Infrastructure.Database;
using InitiativeTracker.Api.Infrastructure.Http;
using InitiativeTracker.Api.Infrastructure.Validation;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace InitiativeTracker.Api.Features.Meetings;

internal sealed record ListMeetingsQuery : ListQuery, IRequest<Paged<MeetingResponse>>
{
    [FromQuery(Name = "sort")]
    public string? Sort { get; init; }

    internal static readonly SortFields Sortable = new(new Dictionary<string, string>
    {
        ["heldOn"] = "held_on",
        ["title"] = "title COLLATE NOCASE",
        ["createdAt"] = "created_at",
        ["updatedAt"] = "updated_at",
    }, "held_on DESC, id ASC");
}

internal sealed class ListMeetingsValidator : AbstractValidator<ListMeetingsQuery>
{
    public ListMeetingsValidator() => RuleFor(q => q.Sort).SortableBy(ListMeetingsQuery.Sortable);
}

internal sealed class ListMeetingsHandler(Db db) : IRequestHandler<ListMeetingsQuery, Paged<MeetingResponse>>
{
    public Task<Paged<MeetingResponse>> Handle(ListMeetingsQuery query, CancellationToken cancellationToken) =>
        db.PageAsync<MeetingResponse>(MeetingResponse.Columns, "meetings", ListMeetingsQuery.Sortable.OrderBy(query.Sort),
            null, query, cancellationToken);
}

internal static class ListMeetings
{
    public static void Map(RouteGroupBuilder group) => group.MapGet("/", Handle)
        .WithName("listMeetings")
        .WithSummary("List meetings");

    private static async Task<Ok<Paged<MeetingResponse>>> Handle([AsParameters] ListMeetingsQuery query, [AsParameters] ListPaging paging, IMediator mediator, CancellationToken ct) =>
        TypedResults.Ok(await mediator.Send(query with { Paging = paging }, ct));
}
