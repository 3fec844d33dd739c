using Dapper;
using FluentValidation;
using InitiativeTracker.Api.Infrastructure.Database;
using InitiativeTracker.Api.Infrastructure.Http;
using InitiativeTracker.Api.Infrastructure.Validation;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace InitiativeTracker.Api.Features.CheckIns;

/// <summary>An initiative's check-ins, newest first unless sorted otherwise.</summary>
internal sealed record ListCheckInsQuery : ListQuery, IRequest<Paged<CheckInResponse>?>
{
    [FromRoute(Name = "id")]
    public long InitiativeId { get; init; }

    [FromQuery(Name = "sort")]
    public string? Sort { get; init; }

    internal static readonly SortFields Sortable = new(new Dictionary<string, string>
    {
        ["reportedAt"] = "reported_at",
        ["progress"] = "progress",
    }, "reported_at DESC, id DESC");
}

internal sealed class ListCheckInsValidator : AbstractValidator<ListCheckInsQuery>
{
    public ListCheckInsValidator() => RuleFor(q => q.Sort).SortableBy(ListCheckInsQuery.Sortable);
}

internal sealed class ListCheckInsHandler(Db db) : IRequestHandler<ListCheckInsQuery, Paged<CheckInResponse>?>
{
    public async Task<Paged<CheckInResponse>?> Handle(ListCheckInsQuery query, CancellationToken cancellationToken)
    {
        var sql = $"""
            SELECT EXISTS (SELECT 1 FROM initiatives WHERE id = @InitiativeId);
            SELECT COUNT(*) FROM check_ins WHERE initiative_id = @InitiativeId;
            SELECT {CheckInRow.Columns} FROM check_ins WHERE initiative_id = @InitiativeId
            ORDER BY {ListCheckInsQuery.Sortable.OrderBy(query.Sort)} LIMIT @Size OFFSET @Offset;
            """;
        await using var connection = await db.OpenAsync(cancellationToken);
        using var results = await connection.QueryMultipleAsync(new CommandDefinition(sql,
            new { query.InitiativeId, query.Size, query.Offset }, cancellationToken: cancellationToken));
        if (!await results.ReadSingleAsync<bool>())
        {
            return null;
        }

        var total = await results.ReadSingleAsync<long>();
        var items = (await results.ReadAsync<CheckInRow>()).Select(r => r.ToResponse()).ToList();
        return new Paged<CheckInResponse>(items, query.PageNumber, query.Size, total);
    }
}

internal static class ListCheckIns
{
    public static void Map(RouteGroupBuilder group) => group.MapGet("/", Handle)
        .WithName("listCheckIns")
        .WithSummary("List an initiative's check-ins, newest first");

    private static async Task<Results<Ok<Paged<CheckInResponse>>, NotFound>> Handle(
        [AsParameters] ListCheckInsQuery query, [AsParameters] ListPaging paging, IMediator mediator, CancellationToken ct) =>
        await mediator.Send(query with { Paging = paging }, ct) is { } page
            ? TypedResults.Ok(page)
            : TypedResults.NotFound();
}
