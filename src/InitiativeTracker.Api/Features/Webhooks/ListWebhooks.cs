using FluentValidation;
using InitiativeTracker.Api.Infrastructure.Database;
using InitiativeTracker.Api.Infrastructure.Http;
using InitiativeTracker.Api.Infrastructure.Validation;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace InitiativeTracker.Api.Features.Webhooks;

internal sealed record ListWebhooksQuery : ListQuery, IRequest<Paged<WebhookResponse>>
{
    [FromQuery(Name = "sort")]
    public string? Sort { get; init; }

    internal static readonly SortFields Sortable = new(new Dictionary<string, string>
    {
        ["url"] = "url",
        ["createdAt"] = "created_at",
        ["updatedAt"] = "updated_at",
    }, "id ASC");
}

internal sealed class ListWebhooksValidator : AbstractValidator<ListWebhooksQuery>
{
    public ListWebhooksValidator() => RuleFor(q => q.Sort).SortableBy(ListWebhooksQuery.Sortable);
}

internal sealed class ListWebhooksHandler(Db db) : IRequestHandler<ListWebhooksQuery, Paged<WebhookResponse>>
{
    public async Task<Paged<WebhookResponse>> Handle(ListWebhooksQuery query, CancellationToken cancellationToken)
    {
        var rows = await db.PageAsync<WebhookRow>(WebhookRow.Columns, "webhooks", ListWebhooksQuery.Sortable.OrderBy(query.Sort),
            null, query, cancellationToken);
        return rows.Select(r => r.ToResponse());
    }
}

internal static class ListWebhooks
{
    public static void Map(RouteGroupBuilder group) => group.MapGet("/", Handle)
        .WithName("listWebhooks")
        .WithSummary("List webhooks");

    private static async Task<Ok<Paged<WebhookResponse>>> Handle([AsParameters] ListWebhooksQuery query, [AsParameters] ListPaging paging, IMediator mediator, CancellationToken ct) =>
        TypedResults.Ok(await mediator.Send(query with { Paging = paging }, ct));
}
