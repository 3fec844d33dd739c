using System.Text.Json.Serialization;
using Dapper;
using FluentValidation;
using InitiativeTracker.Api.Infrastructure.Audit;
using InitiativeTracker.Api.Infrastructure.Database;
using InitiativeTracker.Api.Infrastructure.Errors;
using InitiativeTracker.Api.Infrastructure.Http;
using InitiativeTracker.Api.Infrastructure.Time;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace InitiativeTracker.Api.Features.Webhooks;

/// <summary>Replaces a webhook's URL and events, and pauses or resumes it. The secret cannot be changed: sending one is a 400.</summary>
internal sealed record UpdateWebhookCommand : IRequest<WebhookResponse?>, IWebhookFields
{
    [JsonIgnore]
    public long Id { get; init; }

    [JsonIgnore]
    public long[]? IfMatch { get; init; }

    /// <summary>Where deliveries are POSTed; a queued delivery goes to the URL current when it is sent.</summary>
    public string? Url { get; init; }

    /// <summary>The event types to deliver from now on (see createWebhook); replaces the list.</summary>
    public IReadOnlyList<string>? Events { get; init; }

    /// <summary>false pauses the webhook (nothing is queued or sent); absent leaves it as it is.</summary>
    public bool? Active { get; init; }

    /// <summary>Cannot be changed: any value is a 400. For a new secret, create a new webhook and delete this one.</summary>
    [VerbatimText]
    public string? Secret { get; init; }
}

internal sealed class UpdateWebhookValidator : AbstractValidator<UpdateWebhookCommand>
{
    public UpdateWebhookValidator()
    {
        this.AddWebhookRules();

        // Refused rather than ignored: a client rotating the secret here must not be told 200 and keep
        // receiving deliveries signed with the old one.
        RuleFor(w => w.Secret).Null().WithMessage(
            $"The secret cannot be changed: create a new webhook (POST {WebhookEndpoints.BasePath}) with the new secret, then delete this one.");
    }
}

internal sealed class UpdateWebhookHandler(Db db, UnitOfWork writes, AuditTrail audit, TrackerClock clock, WebhookAddressPolicy policy)
    : IRequestHandler<UpdateWebhookCommand, WebhookResponse?>
{
    private const string CurrentUrlSql = "SELECT url FROM webhooks WHERE id = @Id;";

    private const string UpdateSql = """
        UPDATE webhooks SET url = @Url, events = @Events, active = @Active, version = @Version, updated_at = @UpdatedAt
        WHERE id = @Id;
        """;

    public async Task<WebhookResponse?> Handle(UpdateWebhookCommand command, CancellationToken cancellationToken)
    {
        await RequireAllowedAddressAsync(command, cancellationToken);
        return await writes.WriteAsync(async (connection, transaction) =>
        {
            var row = await connection.QuerySingleOrDefaultAsync<WebhookRow>(
                new CommandDefinition(WebhookRow.SelectById, new { command.Id }, transaction, cancellationToken: cancellationToken));
            if (row is null)
            {
                return null;
            }

            Preconditions.Check(command.IfMatch, row.Version);
            var before = row.ToResponse();
            var after = before with
            {
                Url = command.Url!,
                Events = WebhookEvents.Of(command.Events!),
                Active = command.Active ?? before.Active,
            };
            if (AuditTrail.IsUnchanged(before, after))
            {
                return before;
            }

            after = after with { Version = before.Version + 1, UpdatedAt = clock.UtcNow };
            await connection.ExecuteAsync(new CommandDefinition(UpdateSql, new
            {
                after.Id,
                after.Url,
                Events = WebhookRules.EventsJson(after.Events),
                after.Active,
                after.Version,
                after.UpdatedAt,
            }, transaction, cancellationToken: cancellationToken));
            await audit.RecordAsync(connection, transaction, AuditEntityType.Webhook, after.Id, AuditAction.Update, before, after, cancellationToken);
            return after;
        }, cancellationToken);
    }

    /// <summary>
    /// Looks up a new URL's host before the write transaction (DNS can take seconds; the write gate must
    /// not wait on it). An unchanged URL is not looked up again, so a webhook whose host stopped
    /// resolving can still be paused; the dispatcher checks the address before every send anyway.
    /// </summary>
    private async Task RequireAllowedAddressAsync(UpdateWebhookCommand command, CancellationToken ct)
    {
        string? current;
        await using (var connection = await db.OpenAsync(ct))
        {
            current = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(CurrentUrlSql, new { command.Id }, cancellationToken: ct));
        }

        if (current is not null && current != command.Url && await policy.RefusalAsync(command.Url!, ct) is { } refusal)
        {
            throw Invalid.Field("url", refusal);
        }
    }
}

internal static class UpdateWebhook
{
    public static void Map(RouteGroupBuilder group) => group.MapPut("/{id:long}", Handle)
        .WithName("updateWebhook")
        .WithSummary("Replace a webhook's URL and events, or pause and resume it (active)");

    private static async Task<Results<Tagged<WebhookResponse>, NotFound>> Handle(
        long id, UpdateWebhookCommand command, IfMatch ifMatch,
        IMediator mediator, CancellationToken ct)
    {
        var webhook = await mediator.Send(command with { Id = id, IfMatch = ifMatch.Versions }, ct);
        if (webhook is null)
        {
            return TypedResults.NotFound();
        }

        return Resource.Ok(webhook);
    }
}
