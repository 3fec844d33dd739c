using Dapper;
using FluentValidation;
using InitiativeTracker.Api.Infrastructure.Database;
using InitiativeTracker.Api.Infrastructure.Http;
using InitiativeTracker.Api.Infrastructure.Validation;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace InitiativeTracker.Api.Features.Webhooks;

/// <summary>A webhook's deliveries, newest first.</summary>
internal sealed record ListWebhookDeliveriesQuery : ListQuery, IRequest<Paged<WebhookDeliveryResponse>?>
{
    [FromRoute(Name = "id")]
    public long WebhookId { get; init; }

    /// <summary>Only deliveries in this status: pending, delivered or failed (text, so the documented lowercase names bind).</summary>
    [FromQuery(Name = "status")]
    public string? Status { get; init; }

    /// <summary>Only deliveries of this event type.</summary>
    [FromQuery(Name = "event")]
    public string? Event { get; init; }

    [FromQuery(Name = "sort")]
    public string? Sort { get; init; }

    internal static readonly SortFields Sortable = new(new Dictionary<string, string>
    {
        ["createdAt"] = "created_at",
        ["lastAttemptAt"] = "last_attempt_at",
        ["nextAttemptAt"] = "next_attempt_at",
    }, "id DESC");
}

internal sealed class ListWebhookDeliveriesValidator : AbstractValidator<ListWebhookDeliveriesQuery>
{
    public ListWebhookDeliveriesValidator()
    {
        RuleFor(q => q.Sort).SortableBy(ListWebhookDeliveriesQuery.Sortable);
        RuleFor(q => q.Status).OneOf<ListWebhookDeliveriesQuery, DeliveryStatus>();
        RuleFor(q => q.Event).OneOf<ListWebhookDeliveriesQuery, WebhookEventType>();
    }
}

internal sealed class ListWebhookDeliveriesHandler(Db db) : IRequestHandler<ListWebhookDeliveriesQuery, Paged<WebhookDeliveryResponse>?>
{
    private const string Where = """
        WHERE webhook_id = @WebhookId AND (@Status IS NULL OR status = @Status) AND (@Event IS NULL OR event = @Event)
        """;

    public async Task<Paged<WebhookDeliveryResponse>?> Handle(ListWebhookDeliveriesQuery query, CancellationToken cancellationToken)
    {
        var sql = $"""
            SELECT EXISTS (SELECT 1 FROM webhooks WHERE id = @WebhookId);
            SELECT COUNT(*) FROM webhook_deliveries {Where};
            SELECT {WebhookDeliveryRow.Columns} FROM webhook_deliveries {Where}
            ORDER BY {ListWebhookDeliveriesQuery.Sortable.OrderBy(query.Sort)} LIMIT @Size OFFSET @Offset;
            """;
        await using var connection = await db.OpenAsync(cancellationToken);
        using var results = await connection.QueryMultipleAsync(new CommandDefinition(sql, new
        {
            query.WebhookId,
            query.Status,
            query.Event,
            query.Size,
            query.Offset,
        }, cancellationToken: cancellationToken));
        if (!await results.ReadSingleAsync<bool>())
        {
            return null;
        }

        var total = await results.ReadSingleAsync<long>();
        var items = (await results.ReadAsync<WebhookDeliveryRow>()).Select(r => r.ToResponse()).ToList();
        return new Paged<WebhookDeliveryResponse>(items, query.PageNumber, query.Size, total);
    }
}

internal static class ListWebhookDeliveries
{
    public static void Map(RouteGroupBuilder group) => group.MapGet("/{id:long}/deliveries", Handle)
        .WithName("listWebhookDeliveries")
        .WithSummary("List a webhook's deliveries, newest first, with the outcome of each one's latest attempt")
        .WithDescription("`status` (pending, delivered, failed) and `event` (an event type, or ping) narrow the list; "
            + "`sort` takes createdAt, lastAttemptAt, nextAttemptAt. Finished deliveries are kept for Tracker:Webhooks:RetentionDays (default 30).");

    private static async Task<Results<Ok<Paged<WebhookDeliveryResponse>>, NotFound>> Handle(
        [AsParameters] ListWebhookDeliveriesQuery query, [AsParameters] ListPaging paging, IMediator mediator, CancellationToken ct) =>
        await mediator.Send(query with { Paging = paging }, ct) is { } page ? TypedResults.Ok(page) : TypedResults.NotFound();
}
