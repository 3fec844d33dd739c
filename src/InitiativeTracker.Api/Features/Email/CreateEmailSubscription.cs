using Dapper;
using FluentValidation;
using InitiativeTracker.Api.Infrastructure.Audit;
using InitiativeTracker.Api.Infrastructure.Database;
using InitiativeTracker.Api.Infrastructure.Http;
using InitiativeTracker.Api.Infrastructure.OpenApi;
using InitiativeTracker.Api.Infrastructure.Time;
using InitiativeTracker.Api.Infrastructure.Validation;
using MediatR;

namespace InitiativeTracker.Api.Features.Email;

internal sealed record CreateEmailSubscriptionCommand : IRequest<EmailSubscriptionResponse>, IDocumentedExample<CreateEmailSubscriptionCommand>
{
    /// <summary>Where the weekly digest goes.</summary>
    public string? Email { get; init; }

    /// <summary>Who it is for, as the digest greets them.</summary>
    public string? Name { get; init; }

    /// <summary>Narrow the digest to this direction's initiatives.</summary>
    public long? DirectionId { get; init; }

    /// <summary>Narrow the digest to this task force's initiatives.</summary>
    public long? TaskForceId { get; init; }

    public static CreateEmailSubscriptionCommand Example => new()
    {
        Email = "coordination@example.edu",
        Name = "Coordination office",
        DirectionId = 2,
    };
}

internal sealed class CreateEmailSubscriptionValidator : AbstractValidator<CreateEmailSubscriptionCommand>
{
    public CreateEmailSubscriptionValidator()
    {
        RuleFor(s => s.Email).RequiredEmail();
        RuleFor(s => s.Name).Optional(200, TextShape.SingleLine);
        RuleFor(s => s.DirectionId).Id();
        RuleFor(s => s.TaskForceId).Id();
    }
}

internal sealed class CreateEmailSubscriptionHandler(UnitOfWork writes, AuditTrail audit, TrackerClock clock)
    : IRequestHandler<CreateEmailSubscriptionCommand, EmailSubscriptionResponse>
{
    private const string InsertSql = $"""
        INSERT INTO email_subscriptions (email, name, direction_id, task_force_id, created_at)
        VALUES (@Email, @Name, @DirectionId, @TaskForceId, @Now)
        RETURNING {EmailSubscriptionResponse.Columns};
        """;

    public Task<EmailSubscriptionResponse> Handle(CreateEmailSubscriptionCommand command, CancellationToken cancellationToken) =>
        writes.WriteAsync(async (connection, transaction) =>
        {
            await connection.RequireAllAsync(transaction, cancellationToken,
                (References.Direction, command.DirectionId, "directionId"),
                (References.TaskForce, command.TaskForceId, "taskForceId"));
            var subscription = await connection.QuerySingleAsync<EmailSubscriptionResponse>(new CommandDefinition(InsertSql,
                new { command.Email, command.Name, command.DirectionId, command.TaskForceId, Now = clock.UtcNowText },
                transaction, cancellationToken: cancellationToken));
            await audit.RecordAsync(connection, transaction, AuditEntityType.EmailSubscription, subscription.Id, AuditAction.Create,
                null, subscription, cancellationToken);
            return subscription;
        }, cancellationToken);
}

internal static class CreateEmailSubscription
{
    public static void Map(RouteGroupBuilder group) => group.MapPost("/", Handle)
        .WithName("createEmailSubscription")
        .WithSummary("Subscribe an address to the weekly digest (Monday at Tracker:Email:SendAt), optionally narrowed to a direction or task force");

    private static async Task<TaggedCreated<EmailSubscriptionResponse>> Handle(CreateEmailSubscriptionCommand command, IMediator mediator, CancellationToken ct)
    {
        var subscription = await mediator.Send(command, ct);
        return Resource.Created(EmailEndpoints.SubscriptionPathOf(subscription.Id), subscription);
    }
}
