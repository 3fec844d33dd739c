using Dapper;
using FluentValidation;
using InitiativeTracker.Api.Infrastructure.Database;
using InitiativeTracker.Api.Infrastructure.Http;
using InitiativeTracker.Api.Infrastructure.Validation;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace InitiativeTracker.Api.Features.Deadlines;

/// <summary>An initiative's deadline moves, oldest first: it reads as a history.</summary>
internal sealed record ListDeadlineChangesQuery : ListQuery, IRequest<Paged<DeadlineChangeResponse>?>
{
    [FromRoute(Name = "id")]
    public long InitiativeId { get; init; }

    [FromQuery(Name = "sort")]
    public string? Sort { get; init; }

    internal static readonly SortFields Sortable = new(new Dictionary<string, string>
    {
        ["changedAt"] = "changed_at",
    }, "changed_at ASC, id ASC");
}

internal sealed class ListDeadlineChangesValidator : AbstractValidator<ListDeadlineChangesQuery>
{
    public ListDeadlineChangesValidator() => RuleFor(q => q.Sort).SortableBy(ListDeadlineChangesQuery.Sortable);
}

internal sealed class ListDeadlineChangesHandler(Db db) : IRequestHandler<ListDeadlineChangesQuery, Paged<DeadlineChangeResponse>?>
{
    public async Task<Paged<DeadlineChangeResponse>?> Handle(ListDeadlineChangesQuery query, CancellationToken cancellationToken)
    {
        var sql = $"""
            SELECT EXISTS (SELECT 1 FROM initiatives WHERE id = @InitiativeId);
            SELECT COUNT(*) FROM deadline_changes WHERE initiative_id = @InitiativeId;
            SELECT {DeadlineChangeResponse.Columns} FROM deadline_changes WHERE initiative_id = @InitiativeId
            ORDER BY {ListDeadlineChangesQuery.Sortable.OrderBy(query.Sort)} LIMIT @Size OFFSET @Offset;
            """;
        await using var connection = await db.OpenAsync(cancellationToken);
        using var results = await connection.QueryMultipleAsync(new CommandDefinition(sql,
            new { query.InitiativeId, query.Size, query.Offset }, cancellationToken: cancellationToken));
        if (!await results.ReadSingleAsync<bool>())
        {
            return null;
        }

        var total = await results.ReadSingleAsync<long>();
        var items = (await results.ReadAsync<DeadlineChangeResponse>()).AsList();
        return new Paged<DeadlineChangeResponse>(items, query.PageNumber, query.Size, total);
    }
}

internal static class ListDeadlineChanges
{
    public static void Map(RouteGroupBuilder group) => group.MapGet("/deadline-changes", Handle)
        .WithName("listDeadlineChanges")
        .WithSummary("List an initiative's deadline moves, oldest first");

    private static async Task<Results<Ok<Paged<DeadlineChangeResponse>>, NotFound>> Handle(
        [AsParameters] ListDeadlineChangesQuery query, [AsParameters] ListPaging paging, IMediator mediator, CancellationToken ct) =>
        await mediator.Send(query with { Paging = paging }, ct) is { } page
            ? TypedResults.Ok(page)
            : TypedResults.NotFound();
}
