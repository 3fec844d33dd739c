using Dapper;
using FluentValidation;
using InitiativeTracker.Api.Features.Webhooks;
using InitiativeTracker.Api.Infrastructure.Audit;
using InitiativeTracker.Api.Infrastructure.Auth;
using InitiativeTracker.Api.Infrastructure.Database;
using InitiativeTracker.Api.Infrastructure.Http;
using InitiativeTracker.Api.Infrastructure.Time;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace InitiativeTracker.Api.Features.Initiatives;

/// <summary>A new initiative starts planned, at progress 0 and on track.</summary>
internal sealed record CreateInitiativeCommand : IRequest<InitiativeResponse>, IInitiativeFields
{
    public long DirectionId { get; init; }
    public long OwnerId { get; init; }
    public long? TaskForceId { get; init; }
    public string? Title { get; init; }
    public string? Description { get; init; }
    public DateOnly? StartDate { get; init; }
    public DateOnly? Deadline { get; init; }
}

internal sealed class CreateInitiativeValidator : AbstractValidator<CreateInitiativeCommand>
{
    public CreateInitiativeValidator()
    {
        this.AddInitiativeRules();
        RuleFor(i => i.Deadline).RequiredDate();
        RuleFor(i => i.StartDate).LessThanOrEqualTo(i => i.Deadline).When(i => i.Deadline is not null)
            .WithMessage("'startDate' must not be after the deadline.");
    }
}

internal sealed class CreateInitiativeHandler(Db db, AuditTrail audit, TrackerClock clock, InitiativeScope scope, WebhookOutbox webhooks)
    : IRequestHandler<CreateInitiativeCommand, InitiativeResponse>
{
    internal const string InsertSql = $"""
        INSERT INTO initiatives (direction_id, owner_id, task_force_id, title, description, start_date,
                                 deadline, original_deadline, created_at, updated_at)
        VALUES (@DirectionId, @OwnerId, @TaskForceId, @Title, @Description, @StartDate, @Deadline, @Deadline, @Now, @Now)
        RETURNING {InitiativeRow.Columns};
        """;

    public Task<InitiativeResponse> Handle(CreateInitiativeCommand command, CancellationToken cancellationToken) =>
        db.WriteAsync(async (connection, transaction) =>
        {
            await connection.RequireAllAsync(transaction, cancellationToken,
                (References.Direction, command.DirectionId, "directionId"),
                (References.Owner, command.OwnerId, "ownerId"),
                (References.TaskForce, command.TaskForceId, "taskForceId"));
            await scope.RequireWriteAsync(connection, transaction, command.OwnerId, command.TaskForceId, cancellationToken);
            var row = await connection.QuerySingleAsync<InitiativeRow>(new CommandDefinition(InsertSql, new
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
            await audit.RecordAsync(connection, transaction, InitiativeEndpoints.EntityType, row.Id, AuditAction.Create, null, row, cancellationToken);
            await webhooks.EnqueueAsync(connection, transaction, WebhookEvents.Created(row.ToResponse(clock.Today)), cancellationToken);
            return row.ToResponse(clock.Today);
        }, cancellationToken);
}

internal static class CreateInitiative
{
    public static void Map(RouteGroupBuilder group) => group.MapPost("/", Handle)
        .WithName("createInitiative")
        .WithSummary("Create an initiative (planned, progress 0, on track)")
        .RequireAuthorization(Policies.Write)
        .ProducesValidationProblem()
        .ProducesProblem(StatusCodes.Status403Forbidden);

    private static async Task<Created<InitiativeResponse>> Handle(CreateInitiativeCommand command, IMediator mediator, HttpResponse response, CancellationToken ct)
    {
        var initiative = await mediator.Send(command, ct);
        response.SetETag(initiative.Version);
        return TypedResults.Created($"{InitiativeEndpoints.BasePath}/{initiative.Id}", initiative);
    }
}
