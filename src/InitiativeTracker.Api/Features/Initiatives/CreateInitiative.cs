using Dapper;
using FluentValidation;
using InitiativeTracker.Api.Features.Webhooks;
using InitiativeTracker.Api.Infrastructure.Audit;
using InitiativeTracker.Api.Infrastructure.Auth;
using InitiativeTracker.Api.Infrastructure.Database;
using InitiativeTracker.Api.Infrastructure.Http;
using InitiativeTracker.Api.Infrastructure.OpenApi;
using InitiativeTracker.Api.Infrastructure.Time;
using MediatR;

namespace InitiativeTracker.Api.Features.Initiatives;

/// <summary>
/// A new initiative starts planned, at progress 0 and on track. <c>status</c>, <c>progress</c>,
/// <c>health</c>, <c>completedOn</c> and <c>originalDeadline</c> may be sent only with those starting
/// values (so an initiative's body can serve as a template): they change through check-ins, and the
/// original deadline is the <c>deadline</c> sent.
/// </summary>
internal sealed record CreateInitiativeCommand : IRequest<InitiativeResponse>, IInitiativeFields, IDocumentedExample<CreateInitiativeCommand>
{
    /// <summary>The fields a create takes only at their starting values, as the JSON names them.</summary>
    public static readonly string[] StateFields = ["status", "progress", "health", "completedOn", "originalDeadline"];

    public long DirectionId { get; init; }
    public long OwnerId { get; init; }
    public long? TaskForceId { get; init; }
    public string? Title { get; init; }
    public string? Description { get; init; }
    public DateOnly? StartDate { get; init; }
    public DateOnly? Deadline { get; init; }

    /// <summary>Read-only: a new initiative is planned; the status changes with a check-in.</summary>
    public InitiativeStatus? Status { get; init; }

    /// <summary>Read-only: a new initiative is at 0; progress changes with a check-in.</summary>
    public int? Progress { get; init; }

    /// <summary>Read-only: a new initiative is on track; health changes with a check-in.</summary>
    public Health? Health { get; init; }

    /// <summary>Read-only: set by the check-in that marks the initiative done.</summary>
    public DateOnly? CompletedOn { get; init; }

    /// <summary>Read-only: the deadline sent; later moves go through PUT /api/v1/initiatives/{id}/deadline.</summary>
    public DateOnly? OriginalDeadline { get; init; }

    public static CreateInitiativeCommand Example => new()
    {
        DirectionId = 2,
        OwnerId = 7,
        TaskForceId = 3,
        Title = "Joint technology transfer center in Almaty",
        Description = "With two partner universities",
        StartDate = new DateOnly(2026, 1, 15),
        Deadline = new DateOnly(2026, 12, 31),
    };
}

internal sealed class CreateInitiativeValidator : AbstractValidator<CreateInitiativeCommand>
{
    public CreateInitiativeValidator()
    {
        this.AddInitiativeRules();
        RuleFor(i => i.Deadline).RequiredDate();
        RuleFor(i => i.StartDate).LessThanOrEqualTo(i => i.Deadline).When(i => i.Deadline is not null)
            .WithMessage("'startDate' must not be after the deadline.");

        // Refused rather than ignored, as PUT and PATCH refuse them: a client that sends a state is told
        // where it changes instead of getting a 201 that quietly dropped it.
        RuleFor(i => i.Status).Must(s => s is null or InitiativeStatus.Planned)
            .WithMessage($"A new initiative starts planned. {StateFieldRoutes.Status(null)}");
        RuleFor(i => i.Progress).Must(p => p is null or 0)
            .WithMessage($"A new initiative starts at progress 0. {StateFieldRoutes.Progress(null)}");
        RuleFor(i => i.Health).Must(h => h is null or Initiatives.Health.OnTrack)
            .WithMessage($"A new initiative starts on track. {StateFieldRoutes.Health(null)}");
        RuleFor(i => i.CompletedOn).Null()
            .WithMessage($"A new initiative is not done. {StateFieldRoutes.CompletedOn(null)}");
        RuleFor(i => i.OriginalDeadline).Must((i, original) => original is null || original == i.Deadline)
            .WithMessage($"'originalDeadline' is the deadline a new initiative is created with: send it as 'deadline'. Later moves keep it: {StateFieldRoutes.MovedDeadline(null)}");
    }
}

internal sealed class CreateInitiativeHandler(UnitOfWork writes, AuditTrail audit, TrackerClock clock, InitiativeScope scope, WebhookOutbox webhooks)
    : IRequestHandler<CreateInitiativeCommand, InitiativeResponse>
{
    public Task<InitiativeResponse> Handle(CreateInitiativeCommand command, CancellationToken cancellationToken) =>
        writes.WriteAsync(async (connection, transaction) =>
        {
            await connection.RequireAllAsync(transaction, cancellationToken,
                (References.Direction, command.DirectionId, "directionId"),
                (References.Owner, command.OwnerId, "ownerId"),
                (References.TaskForce, command.TaskForceId, "taskForceId"));
            await scope.RequireWriteAsync(connection, transaction, command.OwnerId, command.TaskForceId, cancellationToken);
            var row = await connection.QuerySingleAsync<InitiativeRow>(new CommandDefinition(InitiativeRow.Insert, new
            {
                command.DirectionId,
                command.OwnerId,
                command.TaskForceId,
                command.Title,
                command.Description,
                command.StartDate,
                command.Deadline,
                Now = clock.UtcNowText,
            }, transaction, cancellationToken: cancellationToken));
            await audit.RecordAsync(connection, transaction, AuditEntityType.Initiative, row.Id, AuditAction.Create, null, row, cancellationToken);
            await webhooks.EnqueueAsync(connection, transaction, WebhookEvents.Created(row.ToResponse(clock.Today)), cancellationToken);
            return row.ToResponse(clock.Today);
        }, cancellationToken);
}

internal static class CreateInitiative
{
    public static void Map(RouteGroupBuilder group) => group.MapPost("/", Handle)
        .WithName("createInitiative")
        .WithSummary("Create an initiative (planned, progress 0, on track)")
        .RequireAuthorization(Policies.Write);

    private static async Task<TaggedCreated<InitiativeResponse>> Handle(CreateInitiativeCommand command, IMediator mediator, CancellationToken ct)
    {
        var initiative = await mediator.Send(command, ct);
        return Resource.Created($"{InitiativeEndpoints.BasePath}/{initiative.Id}", initiative);
    }
}
