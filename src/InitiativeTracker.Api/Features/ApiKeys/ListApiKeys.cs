using FluentValidation;
using InitiativeTracker.Api.Infrastructure.Database;
using InitiativeTracker.Api.Infrastructure.Http;
using InitiativeTracker.Api.Infrastructure.Validation;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace InitiativeTracker.Api.Features.ApiKeys;

internal sealed record ListApiKeysQuery : ListQuery, IRequest<Paged<ApiKeyResponse>>
{
    /// <summary>true: only revoked keys; false: only keys not revoked; absent: all.</summary>
    [FromQuery(Name = "revoked")]
    public bool? Revoked { get; init; }

    [FromQuery(Name = "sort")]
    public string? Sort { get; init; }

    internal static readonly SortFields Sortable = new(new Dictionary<string, string>
    {
        ["name"] = "name COLLATE NOCASE",
        ["role"] = "role",
        ["createdAt"] = "created_at",
        ["expiresAt"] = "expires_at",
        ["lastUsedAt"] = "last_used_at",
        ["revokedAt"] = "revoked_at",
    }, "name COLLATE NOCASE ASC, id ASC");
}

internal sealed class ListApiKeysValidator : AbstractValidator<ListApiKeysQuery>
{
    public ListApiKeysValidator() => RuleFor(q => q.Sort).SortableBy(ListApiKeysQuery.Sortable);
}

internal sealed class ListApiKeysHandler(Db db) : IRequestHandler<ListApiKeysQuery, Paged<ApiKeyResponse>>
{
    private const string Where = "WHERE (@Revoked IS NULL OR (revoked_at IS NOT NULL) = @Revoked)";

    public Task<Paged<ApiKeyResponse>> Handle(ListApiKeysQuery query, CancellationToken cancellationToken) =>
        db.PageAsync<ApiKeyResponse>(ApiKeyResponse.Columns, $"api_keys {Where}", ListApiKeysQuery.Sortable.OrderBy(query.Sort),
            new { query.Revoked }, query, cancellationToken);
}

internal static class ListApiKeys
{
    public static void Map(RouteGroupBuilder group) => group.MapGet("/", Handle)
        .WithName("listApiKeys")
        .WithSummary("List API keys (metadata only, never secrets)");

    private static async Task<Microsoft.AspNetCore.Http.HttpResults.Ok<Paged<ApiKeyResponse>>> Handle(
        [AsParameters] ListApiKeysQuery query, [AsParameters] ListPaging paging, IMediator mediator, CancellationToken ct) =>
        TypedResults.Ok(await mediator.Send(query with { Paging = paging }, ct));
}
