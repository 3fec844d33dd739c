using Dapper;
using FluentValidation;
using InitiativeTracker.Api.Infrastructure.Database;
using InitiativeTracker.Api.Infrastructure.Http;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace InitiativeTracker.Api.Features.Meetings;

internal sealed record ListMeetingsQuery : ListQuery, IRequest<Paged<MeetingResponse>>
{
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
    public ListMeetingsValidator() => this.AddListRules(ListMeetingsQuery.Sortable);
}

internal sealed class ListMeetingsHandler(Db db) : IRequestHandler<ListMeetingsQuery, Paged<MeetingResponse>>
{
    public async Task<Paged<MeetingResponse>> Handle(ListMeetingsQuery query, CancellationToken cancellationToken)
    {
        var sql = $"""
            SELECT COUNT(*) FROM meetings;
            SELECT {MeetingResponse.Columns} FROM meetings
            ORDER BY {ListMeetingsQuery.Sortable.OrderBy(query.Sort)} LIMIT @Size OFFSET @Offset;
            """;
        await using var connection = await db.OpenAsync(cancellationToken);
        using var results = await connection.QueryMultipleAsync(new CommandDefinition(sql,
            new { query.Size, query.Offset }, cancellationToken: cancellationToken));
        var total = await results.ReadSingleAsync<long>();
        var items = (await results.ReadAsync<MeetingResponse>()).AsList();
        return new Paged<MeetingResponse>(items, query.PageNumber, query.Size, total);
    }
}

internal static class ListMeetings
{
    public static void Map(RouteGroupBuilder group) => group.MapGet("/", Handle)
        .WithName("listMeetings")
        .WithSummary("List meetings")
        .ProducesValidationProblem();

    private static async Task<Ok<Paged<MeetingResponse>>> Handle([AsParameters] ListMeetingsQuery query, IMediator mediator, CancellationToken ct) =>
        TypedResults.Ok(await mediator.Send(query, ct));
}
