using FluentValidation;
using InitiativeTracker.Api.Infrastructure.Database;
using InitiativeTracker.Api.Infrastructure.Http;
using InitiativeTracker.Api.Infrastructure.Validation;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace InitiativeTracker.Api.Features.Owners;

internal sealed record ListOwnersQuery : ListQuery, IRequest<Paged<OwnerResponse>>
{
    /// <summary>Text in the name, email or unit.</summary>
    [FromQuery(Name = "q")]
    public string? Q { get; init; }

    [FromQuery(Name = "sort")]
    public string? Sort { get; init; }

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
        RuleFor(q => q.Sort).SortableBy(ListOwnersQuery.Sortable);
        RuleFor(q => q.Q).Optional(200);
    }
}

internal sealed class ListOwnersHandler(Db db) : IRequestHandler<ListOwnersQuery, Paged<OwnerResponse>>
{
    private const string Where = """
        WHERE deleted_at IS NULL
          AND (@Q IS NULL OR name LIKE @Q ESCAPE '\' OR email LIKE @Q ESCAPE '\' OR unit LIKE @Q ESCAPE '\')
        """;

    public Task<Paged<OwnerResponse>> Handle(ListOwnersQuery query, CancellationToken cancellationToken) =>
        db.PageAsync<OwnerResponse>(OwnerResponse.Columns, $"owners {Where}", ListOwnersQuery.Sortable.OrderBy(query.Sort),
            new { Q = Like.Contains(query.Q) }, query, cancellationToken);
}

internal static class ListOwners
{
    public static void Map(RouteGroupBuilder group) => group.MapGet("/", Handle)
        .WithName("listOwners")
        .WithSummary("List owners");

    private static async Task<Microsoft.AspNetCore.Http.HttpResults.Ok<Paged<OwnerResponse>>> Handle(
        [AsParameters] ListOwnersQuery query, [AsParameters] ListPaging paging, IMediator mediator, CancellationToken ct) =>
        TypedResults.Ok(await mediator.Send(query with { Paging = paging }, ct));
}
