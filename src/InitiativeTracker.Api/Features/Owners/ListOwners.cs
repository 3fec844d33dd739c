using Dapper;
using FluentValidation;
using InitiativeTracker.Api.Infrastructure.Database;
using InitiativeTracker.Api.Infrastructure.Http;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace InitiativeTracker.Api.Features.Owners;

internal sealed record ListOwnersQuery : ListQuery, IRequest<Paged<OwnerResponse>>
{
    /// <summary>Text in the name, email or unit.</summary>
    [FromQuery(Name = "q")]
    public string? Q { get; init; }

    internal static readonly SortFields Sortable = new(new Dictionary<string, string>
    {
        ["name"] = "name COLLATE NOCASE",
        ["email"] = "email COLLATE NOCASE",
        ["unit"] = "unit COLLATE NOCASE",
        ["createdAt"] = "created_at",
        ["updatedAt"] = "updated_at",
    }, "name COLLATE NOCASE ASC, id ASC");
}

internal sealed class ListOwnersValidator : AbstractValidator<ListOwnersQuery>
{
    public ListOwnersValidator()
    {
        this.AddListRules(ListOwnersQuery.Sortable);
        RuleFor(q => q.Q).Optional(200);
    }
}

internal sealed class ListOwnersHandler(Db db) : IRequestHandler<ListOwnersQuery, Paged<OwnerResponse>>
{
    private const string Where = """
        WHERE deleted_at IS NULL
          AND (@Q IS NULL OR name LIKE @Q ESCAPE '\' OR email LIKE @Q ESCAPE '\' OR unit LIKE @Q ESCAPE '\')
        """;

    public async Task<Paged<OwnerResponse>> Handle(ListOwnersQuery query, CancellationToken cancellationToken)
    {
        var sql = $"""
            SELECT COUNT(*) FROM owners {Where};
            SELECT {OwnerResponse.Columns} FROM owners {Where}
            ORDER BY {ListOwnersQuery.Sortable.OrderBy(query.Sort)} LIMIT @Size OFFSET @Offset;
            """;
        await using var connection = await db.OpenAsync(cancellationToken);
        using var results = await connection.QueryMultipleAsync(new CommandDefinition(sql,
            new { Q = Like.Contains(query.Q), query.Size, query.Offset }, cancellationToken: cancellationToken));
        var total = await results.ReadSingleAsync<long>();
        var items = (await results.ReadAsync<OwnerResponse>()).AsList();
        return new Paged<OwnerResponse>(items, query.PageNumber, query.Size, total);
    }
}

internal static class ListOwners
{
    public static void Map(RouteGroupBuilder group) => group.MapGet("/", Handle)
        .WithName("listOwners")
        .WithSummary("List owners")
        .ProducesValidationProblem();

    private static async Task<Microsoft.AspNetCore.Http.HttpResults.Ok<Paged<OwnerResponse>>> Handle(
        [AsParameters] ListOwnersQuery query, IMediator mediator, CancellationToken ct) =>
        TypedResults.Ok(await mediator.Send(query, ct));
}
