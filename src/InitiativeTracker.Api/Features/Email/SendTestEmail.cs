using FluentValidation;
using InitiativeTracker.Api.Infrastructure.Database;
using InitiativeTracker.Api.Infrastructure.Errors;
using InitiativeTracker.Api.Infrastructure.Http;
using InitiativeTracker.Api.Infrastructure.OpenApi;
using InitiativeTracker.Api.Infrastructure.Validation;
using MediatR;
using Microsoft.Extensions.Options;

namespace InitiativeTracker.Api.Features.Email;

internal sealed record SendTestEmailCommand : IRequest<EmailOutboxResponse>, IDocumentedExample<SendTestEmailCommand>
{
    /// <summary>Where the test message goes.</summary>
    public string? Email { get; init; }

    public static SendTestEmailCommand Example => new() { Email = "ops@example.edu" };
}

internal sealed class SendTestEmailValidator : AbstractValidator<SendTestEmailCommand>
{
    public SendTestEmailValidator() => RuleFor(c => c.Email).RequiredEmail();
}

internal sealed class SendTestEmailHandler(UnitOfWork writes, EmailOutbox outbox, IOptions<EmailOptions> options)
    : IRequestHandler<SendTestEmailCommand, EmailOutboxResponse>
{
    public async Task<EmailOutboxResponse> Handle(SendTestEmailCommand command, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            throw new ProblemException(StatusCodes.Status409Conflict, ProblemTypes.EmailOff, "Email is off",
                "Email is off: set Tracker:Email:Smtp:Host (with Tracker:Email:From and Tracker:Email:PublicUrl) and restart the service.");
        }

        var body = await EmailTemplates.RenderAsync(new EmailModel
        {
            Title = "A test message",
            Greeting = "Hello,",
            Intro = ["This is a test message from InitiativeTracker: its SMTP settings work."],
            DashboardUrl = settings.BaseUrl() + "/",
            Why = "An administrator sent this message with POST /api/v1/email/test.",
        });
        var email = new DecidedEmail(EmailKinds.Test, command.Email!, "InitiativeTracker: a test message", body, UnsubscribeUrl: null);
        var row = await writes.WriteAsync((connection, transaction) => outbox.EnqueueAsync(connection, transaction, email, cancellationToken), cancellationToken);
        return row!.ToResponse();
    }
}

internal static class SendTestEmail
{
    public static void Map(RouteGroupBuilder group) => group.MapPost("/test", Handle)
        .WithName("sendTestEmail")
        .WithSummary("Queue a test message to an address (202: follow Location for the outcome)")
        .WithDescription("A bad address is a 400 naming `email`. With email off (no Tracker:Email:Smtp:Host) the request is fine but cannot be carried out: a 409 problem of type email-off, and nothing is queued.");

    private static async Task<AcceptedAt<EmailOutboxResponse>> Handle(SendTestEmailCommand command, IMediator mediator, CancellationToken ct)
    {
        var entry = await mediator.Send(command, ct);
        return Resource.AcceptedAt(EmailEndpoints.OutboxPathOf(entry.Id), entry);
    }
}
