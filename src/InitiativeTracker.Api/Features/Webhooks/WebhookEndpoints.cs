using FluentValidation;
using InitiativeTracker.Api.Infrastructure.Auth;
using InitiativeTracker.Api.Infrastructure.Http;
using InitiativeTracker.Api.Infrastructure.Validation;

namespace InitiativeTracker.Api.Features.Webhooks;

internal static class WebhookEndpoints
{
    public const string Path = "/webhooks";
    public const string BasePath = ApiRoutes.Prefix + Path;

    public static void MapWebhookEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Path).WithTags("Webhooks").RequireAuthorization(Policies.Admin);
        ListWebhooks.Map(group);
        GetWebhook.Map(group);
        CreateWebhook.Map(group);
        UpdateWebhook.Map(group);
        DeleteWebhook.Map(group);
        ListWebhookDeliveries.Map(group);
        GetWebhookDelivery.Map(group);
        RedeliverWebhookDelivery.Map(group);
        PingWebhook.Map(group);
    }

    public static string PathOf(long id) => $"{BasePath}/{id}";

    public static string DeliveryPathOf(long webhookId, string deliveryId) => $"{BasePath}/{webhookId}/deliveries/{deliveryId}";

    /// <summary>The webhook machinery: the outbox, the dispatcher and the deadline scan, with their options.</summary>
    public static IServiceCollection AddWebhooks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WebhookOptions>()
            .Bind(configuration.GetSection(WebhookOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => o.AllowedHosts.All(h => !string.IsNullOrWhiteSpace(h)), "Tracker:Webhooks:AllowedHosts must not hold blank entries.")
            .ValidateOnStart();
        services.AddSingleton<WebhookAddressPolicy>();
        services.AddSingleton<WebhookSignal>();
        services.AddSingleton<WebhookOutbox>();
        services.AddSingleton<WebhookSender>();
        services.AddSingleton<WebhookDispatcher>();
        services.AddSingleton<WebhookScanner>();
        services.AddHostedService<WebhookDispatchService>();
        services.AddHostedService<WebhookScanService>();
        return services;
    }
}

/// <summary>The fields a webhook is written with, shared by create and update.</summary>
internal interface IWebhookFields
{
    string? Url { get; }
    IReadOnlyList<string>? Events { get; }
}

internal static class WebhookRules
{
    public const int MaxSecretLength = 200;
    public const int MinSecretLength = 16;
    public const int MaxEvents = 50;

    /// <summary>The form of <c>url</c> and <c>events</c>; the URL's address is checked by <see cref="AddAddressRule{T}"/>.</summary>
    public static void AddWebhookRules<T>(this AbstractValidator<T> validator)
        where T : IWebhookFields
    {
        validator.RuleFor(w => w.Url).Cascade(CascadeMode.Stop).NotEmpty().WithMessage("'url' is required.")
            .MaximumLength(WebhookAddressPolicy.MaxUrlLength).Printable(TextShape.SingleLine)
            .Must(url => WebhookAddressPolicy.FormRefusal(url!) is null)
            .WithMessage(w => WebhookAddressPolicy.FormRefusal(w.Url!)!);
        validator.RuleFor(w => w.Events).Cascade(CascadeMode.Stop).NotEmpty().WithMessage($"'events' is required: a list of one or more of {string.Join(", ", WebhookEvents.All)}.")
            .MaxItems(MaxEvents)
            .EachIn(WebhookEvents.All)
            .WithMessage(w => $"Unknown event(s) {string.Join(", ", w.Events!.Where(e => !WebhookEvents.All.Contains(e)).Select(e => $"'{e}'"))}; "
                + $"events are {string.Join(", ", WebhookEvents.All)}.");
    }

    /// <summary>
    /// That the URL's host is not, and does not resolve to, a non-public address. Checked only once its
    /// form passed, since it may query DNS.
    /// </summary>
    public static void AddAddressRule<T>(this AbstractValidator<T> validator, WebhookAddressPolicy policy)
        where T : IWebhookFields =>
        validator.RuleFor(w => w.Url).CustomAsync(async (url, context, ct) =>
            {
                if (await policy.RefusalAsync(url!, ct) is { } refusal)
                {
                    context.AddFailure(refusal);
                }
            })
            .When(w => !string.IsNullOrEmpty(w.Url) && w.Url.Length <= WebhookAddressPolicy.MaxUrlLength && WebhookAddressPolicy.FormRefusal(w.Url) is null);

    /// <summary>The events as stored: <see cref="WebhookEvents.Of"/> has made them distinct and put them in the catalogue's order.</summary>
    public static string EventsJson(IReadOnlyList<WebhookEventType> events) =>
        System.Text.Json.JsonSerializer.Serialize(events, TrackerJson.Options);
}
