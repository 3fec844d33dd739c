using System.Security.Cryptography;
using Dapper;
using FluentValidation;
using InitiativeTracker.Api.Infrastructure.Audit;
using InitiativeTracker.Api.Infrastructure.Database;
using InitiativeTracker.Api.Infrastructure.Http;
using InitiativeTracker.Api.Infrastructure.Idempotency;
using InitiativeTracker.Api.Infrastructure.Time;
using MediatR;

namespace InitiativeTracker.Api.Features.Webhooks;

internal sealed record CreateWebhookCommand : IRequest<CreatedWebhookResponse>, IWebhookFields
{
    /// <summary>Where deliveries are POSTed: http or https, to a public address (or a host in Tracker:Webhooks:AllowedHosts).</summary>
    public string? Url { get; init; }

    /// <summary>One or more of: initiative.created, initiative.updated, initiative.deleted, check_in.created, deadline.changed, initiative.overdue, initiative.due_soon, report.overdue_digest.</summary>
    public IReadOnlyList<string>? Events { get; init; }

    /// <summary>The signing key, 16 to 200 characters; generated (32 random bytes, hex) when absent. Shown in this response only.</summary>
    [VerbatimText]
    public string? Secret { get; init; }
}

internal sealed class CreateWebhookValidator : AbstractValidator<CreateWebhookCommand>
{
    public CreateWebhookValidator(WebhookAddressPolicy policy)
    {
        this.AddWebhookRules();
        this.AddAddressRule(policy);
        RuleFor(w => w.Secret).MinimumLength(WebhookRules.MinSecretLength).MaximumLength(WebhookRules.MaxSecretLength)
            .Must(s => s is null || s.Trim() == s).WithMessage("'secret' must not start or end with white space.")
            .Printable(TextShape.SingleLine);
    }
}

internal sealed class CreateWebhookHandler(UnitOfWork writes, AuditTrail audit, TrackerClock clock)
    : IRequestHandler<CreateWebhookCommand, CreatedWebhookResponse>
{
    private const string InsertSql = $"""
        INSERT INTO webhooks (url, events, secret, active, created_at, updated_at)
        VALUES (@Url, @Events, @Secret, 1, @Now, @Now)
        RETURNING {WebhookRow.Columns};
        """;

    public Task<CreatedWebhookResponse> Handle(CreateWebhookCommand command, CancellationToken cancellationToken) =>
        writes.WriteAsync(async (connection, transaction) =>
        {
            var row = await connection.QuerySingleAsync<WebhookRow>(new CommandDefinition(InsertSql, new
            {
                command.Url,
                Events = WebhookRules.EventsJson(WebhookEvents.Of(command.Events!)),
                Secret = command.Secret ?? NewSecret(),
                Now = clock.UtcNowText,
            }, transaction, cancellationToken: cancellationToken));
            var webhook = row.ToResponse();
            await audit.RecordAsync(connection, transaction, AuditEntityType.Webhook, webhook.Id, AuditAction.Create, null, webhook, cancellationToken);
            return new CreatedWebhookResponse
            {
                Id = webhook.Id,
                Url = webhook.Url,
                Events = webhook.Events,
                Active = webhook.Active,
                Secret = row.Secret,
                Version = webhook.Version,
                CreatedAt = webhook.CreatedAt,
                UpdatedAt = webhook.UpdatedAt,
            };
        }, cancellationToken);

    /// <summary>32 random bytes as hex: 256 bits, the HMAC-SHA256 block of entropy.</summary>
    private static string NewSecret() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
}

internal static class CreateWebhook
{
    public static void Map(RouteGroupBuilder group) => group.MapPost("/", Handle)
        .WithName("createWebhook")
        // The answer holds the signing secret: it must never be stored for an idempotent replay.
        .WithMetadata(new DisableIdempotencyAttribute())
        .WithSummary("Subscribe a URL to events; the response shows the signing secret, once")
        .WithDescription($"`events` are one or more of: {string.Join(", ", WebhookEvents.All)}. Each delivery is a POST of "
            + "`{ id, type, occurredAt, data }` (application/json) with the headers `Tracker-Event` (the type), `Tracker-Delivery` "
            + "(unique per delivery, the same across retries and redeliveries: dedupe on it) and "
            + "`Tracker-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of \"<t>.<body>\" under the secret>`. A 2xx within 10 s is "
            + "delivered; anything else is retried after Tracker:Webhooks:RetryBaseSeconds (default 60), then 5 times longer each time, "
            + "six attempts in all, then the delivery is failed. `url` must be http(s) to a public address: a host that is, or resolves to, "
            + "a loopback, private, link-local or reserved address is a 400 unless it is listed in Tracker:Webhooks:AllowedHosts. "
            + "Redirects are not followed.");

    private static async Task<TaggedCreated<CreatedWebhookResponse>> Handle(CreateWebhookCommand command, IMediator mediator, HttpResponse response, CancellationToken ct)
    {
        var webhook = await mediator.Send(command, ct);
        // The body holds the secret: no cache along the way may keep it.
        response.Headers.CacheControl = "no-store";
        return Resource.Created(WebhookEndpoints.PathOf(webhook.Id), webhook);
    }
}
