using FluentValidation;
using InitiativeTracker.Api.Infrastructure.Database;
using InitiativeTracker.Api.Infrastructure.Http;
using InitiativeTracker.Api.Infrastructure.Validation;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace InitiativeTracker.Api.Features.Email;

internal sealed record ListEmailSubscriptionsQuery : ListQuery, IRequest<Paged<EmailSubscriptionResponse>>
{
    [FromQuery(Name = "sort")]
    public string? Sort { get; init; }

    internal static readonly SortFields Sortable = new(new Dictionary<string, string>
    {
        ["email"] = "email COLLATE NOCASE",
        ["createdAt"] = "created_at",
    }, "id ASC");
}

internal sealed class ListEmailSubscriptionsValidator : AbstractValidator<ListEmailSubscriptionsQuery>
{
    public ListEmailSubscriptionsValidator() => RuleFor(q => q.Sort).SortableBy(ListEmailSubscriptionsQuery.Sortable);
}

internal sealed class ListEmailSubscriptionsHandler(Db db) : IRequestHandler<ListEmailSubscriptionsQuery, Paged<EmailSubscriptionResponse>>
{
    public Task<Paged<EmailSubscriptionResponse>> Handle(ListEmailSubscriptionsQuery query, CancellationToken cancellationToken) =>
        db.PageAsync<EmailSubscriptionResponse>(EmailSubscriptionResponse.Columns, "email_subscriptions",
            ListEmailSubscriptionsQuery.Sortable.OrderBy(query.Sort), null, query, cancellationToken);
}

internal static class ListEmailSubscriptions
{
    public static void Map(RouteGroupBuilder group) => group.MapGet("/", Handle)
        .WithName("listEmailSubscriptions")
        .WithSummary("List email subscriptions");

    private static async Task<Ok<Paged<EmailSubscriptionResponse>>> Handle(
        [AsParameters] ListEmailSubscriptionsQuery query, [AsParameters] ListPaging paging, IMediator mediator, CancellationToken ct) =>
        TypedResults.Ok(await mediator.Send(query with { Paging = paging }, ct));
}
