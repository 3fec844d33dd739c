using System.Text.Json.Serialization;
using Dapper;
using FluentValidation;
using InitiativeTracker.Api.Features.Initiatives;
using InitiativeTracker.Api.Features.Webhooks;
using InitiativeTracker.Api.Infrastructure.Audit;
using InitiativeTracker.Api.Infrastructure.Auth;
using InitiativeTracker.Api.Infrastructure.Database;
using InitiativeTracker.Api.Infrastructure.Errors;
using InitiativeTracker.Api.Infrastructure.Http;
using InitiativeTracker.Api.Infrastructure.Time;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace InitiativeTracker.Api.Features.Deadlines;

/// <summary>Moves an open initiative's deadline, with a reason. Each move is kept; <c>originalDeadline</c> never changes.</summary>
internal sealed record MoveDeadlineCommand : IRequest<InitiativeResponse?>
{
    [JsonIgnore]
    public long InitiativeId { get; init; }

    [JsonIgnore]
    public long[]? IfMatch { get; init; }

    /// <summary>The new deadline (yyyy-MM-dd); must differ from the current one.</summary>
    public DateOnly? Deadline { get; init; }

    /// <summary>Why it moves; required, up to 1000 characters.</summary>
    public string? Reason { get; init; }
}

internal sealed class MoveDeadlineValidator : AbstractValidator<MoveDeadlineCommand>
{
    public const int ReasonMaxLength = 1000;

    public MoveDeadlineValidator()
    {
        RuleFor(c => c.Deadline).RequiredDate();
        RuleFor(c => c.Reason).NotEmpty().WithMessage("'reason' is required: say why the deadline moves.")
            .MaximumLength(ReasonMaxLength).Printable(TextShape.MultiLine);
    }
}

internal sealed class MoveDeadlineHandler(
    UnitOfWork writes, AuditTrail audit, CurrentActor actor, TrackerClock clock, InitiativeScope scope, WebhookOutbox webhooks)
    : IRequestHandler<MoveDeadlineCommand, InitiativeResponse?>
{
    private const string InsertSql = """
        INSERT INTO deadline_changes (initiative_id, from_deadline, to_deadline, reason, changed_by, changed_at)
        VALUES (@InitiativeId, @From, @To, @Reason, @ChangedBy, @ChangedAt);
        """;

    private const string UpdateSql = """
        UPDATE initiatives
        SET deadline = @Deadline, deadline_changes = @DeadlineChanges, version = @Version, updated_at = @UpdatedAt
        WHERE id = @Id;
        """;

    public Task<InitiativeResponse?> Handle(MoveDeadlineCommand command, CancellationToken cancellationToken) =>
        writes.WriteAsync(async (connection, transaction) =>
        {
            var before = await connection.QuerySingleOrDefaultAsync<InitiativeRow>(
                new CommandDefinition(InitiativeRow.SelectById, new { Id = command.InitiativeId }, transaction, cancellationToken: cancellationToken));
            if (before is null)
            {
                return null;
            }

            await scope.RequireWriteAsync(connection, transaction, before.OwnerId, before.TaskForceId, cancellationToken);
            Preconditions.Check(command.IfMatch, before.Version);
            var status = EnumText.Parse<InitiativeStatus>(before.Status);
            if (!status.IsOpen())
            {
                throw ProblemException.Conflict(
                    $"The initiative is '{status.ToText()}': a closed initiative's deadline no longer moves. Reopen it with a check-in first.");
            }

            var deadline = command.Deadline!.Value;
            if (deadline == before.Deadline)
            {
                throw Invalid.Field("deadline", $"The deadline is already {SqlText.Date(deadline)}.");
            }

            if (before.StartDate is { } start && deadline < start)
            {
                throw Invalid.Field("deadline", $"The deadline must not be before the start date, {SqlText.Date(start)}.");
            }

            var now = clock.UtcNow;
            await connection.ExecuteAsync(new CommandDefinition(InsertSql, new
            {
                command.InitiativeId,
                From = before.Deadline,
                To = deadline,
                Reason = command.Reason!,
                ChangedBy = actor.Name,
                ChangedAt = now,
            }, transaction, cancellationToken: cancellationToken));
            var after = before with
            {
                Deadline = deadline,
                DeadlineChanges = before.DeadlineChanges + 1,
                Version = before.Version + 1,
                UpdatedAt = now,
            };
            await connection.ExecuteAsync(new CommandDefinition(UpdateSql, after, transaction, cancellationToken: cancellationToken));
            await audit.RecordAsync(connection, transaction, AuditEntityType.Initiative, after.Id, AuditAction.Update, before, after, cancellationToken);
            await webhooks.EnqueueAsync(connection, transaction, WebhookEvents.DeadlineMoved(before.Deadline, after.ToResponse(clock.Today), command.Reason!, actor.Name), cancellationToken);
            return after.ToResponse(clock.Today);
        }, cancellationToken);
}

internal static class MoveDeadline
{
    public static void Map(RouteGroupBuilder group) => group.MapPut("/deadline", Handle)
        .WithName("moveDeadline")
        .WithSummary("Move an open initiative's deadline, with a reason; the move is kept in its history")
        .RequireAuthorization(Policies.Write)
        .ProducesProblem(StatusCodes.Status409Conflict);

    private static async Task<Results<Tagged<InitiativeResponse>, NotFound>> Handle(
        long id, MoveDeadlineCommand command, IfMatch ifMatch,
        IMediator mediator, CancellationToken ct)
    {
        var initiative = await mediator.Send(command with { InitiativeId = id, IfMatch = ifMatch.Versions }, ct);
        if (initiative is null)
        {
            return TypedResults.NotFound();
        }

        return Resource.Ok(initiative);
    }
}
