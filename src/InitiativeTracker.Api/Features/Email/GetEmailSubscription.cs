using InitiativeTracker.Api.Infrastructure.Database;
using InitiativeTracker.Api.Infrastructure.Http;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace InitiativeTracker.Api.Features.Email;

internal sealed record GetEmailSubscriptionQuery(long Id) : IRequest<EmailSubscriptionResponse?>;

internal sealed class GetEmailSubscriptionHandler(Db db) : IRequestHandler<GetEmailSubscriptionQuery, EmailSubscriptionResponse?>
{
    public Task<EmailSubscriptionResponse?> Handle(GetEmailSubscriptionQuery query, CancellationToken cancellationToken) =>
        db.QueryByIdAsync<EmailSubscriptionResponse>(EmailSubscriptionResponse.SelectById, query.Id, cancellationToken);
}

internal static class GetEmailSubscription
{
    public static void Map(RouteGroupBuilder group) => group.MapGet("/{id:long}", Handle)
        .WithName("getEmailSubscription")
        .WithSummary("Get an email subscription");

    private static async Task<Results<Tagged<EmailSubscriptionResponse>, NotFound>> Handle(long id, IMediator mediator, CancellationToken ct) =>
        await mediator.Send(new GetEmailSubscriptionQuery(id), ct) is { } subscription ? Resource.Ok(subscription) : TypedResults.NotFound();
}
