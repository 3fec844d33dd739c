using Dapper;
using InitiativeTracker.Api.Infrastructure.Database;
using InitiativeTracker.Api.Infrastructure.Http;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace InitiativeTracker.Api.Features.Webhooks;

internal sealed record GetWebhookQuery(long Id) : IRequest<WebhookResponse?>;

internal sealed class GetWebhookHandler(Db db) : IRequestHandler<GetWebhookQuery, WebhookResponse?>
{
    public async Task<WebhookResponse?> Handle(GetWebhookQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<WebhookRow>(new CommandDefinition(WebhookRow.SelectById, query, cancellationToken: cancellationToken));
        return row?.ToResponse();
    }
}

internal static class GetWebhook
{
    public static void Map(RouteGroupBuilder group) => group.MapGet("/{id:long}", Handle)
        .WithName("getWebhook")
        .WithSummary("Get a webhook (never its secret)");

    private static async Task<Results<Tagged<WebhookResponse>, NotFound>> Handle(long id, IMediator mediator, CancellationToken ct)
    {
        var webhook = await mediator.Send(new GetWebhookQuery(id), ct);
        if (webhook is null)
        {
            return TypedResults.NotFound();
        }

        return Resource.Ok(webhook);
    }
}
