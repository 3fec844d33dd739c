using InitiativeTracker.Api.Infrastructure.Auth;
using InitiativeTracker.Api.Infrastructure.Http;
using Microsoft.Extensions.Options;

namespace InitiativeTracker.Api.Features.Email;

internal static class EmailEndpoints
{
    public const string SubscriptionsPath = "/email-subscriptions";

    public static void MapEmailEndpoints(this IEndpointRouteBuilder app)
    {
        var subscriptions = app.MapGroup(SubscriptionsPath).WithTags("Email").RequireAuthorization(Policies.EmailSubscriptions);
        ListEmailSubscriptions.Map(subscriptions);
        GetEmailSubscription.Map(subscriptions);
        CreateEmailSubscription.Map(subscriptions);
        DeleteEmailSubscription.Map(subscriptions);

        var email = app.MapGroup("/email").WithTags("Email").RequireAuthorization(Policies.Admin);
        ListEmailOutbox.Map(email);
        GetEmailOutboxEntry.Map(email);
        SendTestEmail.Map(email);
        Unsubscribe.Map(email);
    }

    public static string SubscriptionPathOf(long id) => $"{ApiRoutes.Prefix}{SubscriptionsPath}/{id}";

    public static string OutboxPathOf(long id) => $"{ApiRoutes.Prefix}/email/outbox/{id}";

    /// <summary>The email machinery: settings, the outbox, the scheduler, the sender and their loop.</summary>
    public static IServiceCollection AddEmail(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<EmailOptions>()
            .Bind(configuration.GetSection(EmailOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<EmailOptions>, EmailOptionsValidator>();
        services.AddSingleton<EmailSignal>();
        services.AddSingleton<EmailOutbox>();
        services.AddSingleton<EmailSender>();
        services.AddSingleton<EmailDispatcher>();
        services.AddSingleton<UnsubscribeLinks>();
        services.AddSingleton<EmailScheduler>();
        services.AddHostedService<EmailService>();
        return services;
    }
}
