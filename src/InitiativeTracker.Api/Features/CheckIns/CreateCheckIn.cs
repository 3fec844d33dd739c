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

namespace InitiativeTracker.Api.Features.CheckIns;

/// <summary>
/// A progress report: sets the initiative's progress, status and health. <c>status</c> defaults to the
/// current one; with <c>done</c> progress becomes 100 whatever was sent; reopening a done initiative
/// (back to <c>in_progress</c>) needs a <c>note</c>.
/// </summary>
internal sealed record CreateCheckInCommand : IRequest<CheckInResponse?>
{
    [JsonIgnore]
    public long InitiativeId { get; init; }

    /// <summary>The initiative's versions If-Match accepts; null for any.</summary>
    [JsonIgnore]
    public long[]? IfMatch { get; init; }

    /// <summary>0–100; required. It may go down.</summary>
    public int? Progress { get; init; }

    /// <summary>Optional: the current status when absent.</summary>
    public InitiativeStatus? Status { get; init; }

    /// <summary>Required.</summary>
    public Initiatives.Health? Health { get; init; }

    /// <summary>Optional, up to 4000 characters; required to reopen a done initiative.</summary>
    public string? Note { get; init; }
}

internal sealed class CreateCheckInValidator : AbstractValidator<CreateCheckInCommand>
{
    public const int NoteMaxLength = 4000;

    public CreateCheckInValidator()
    {
        RuleFor(c => c.Progress).NotNull().WithMessage("'progress' is required (0 to 100).")
            .InclusiveBetween(0, 100).WithMessage("'progress' must be from 0 to 100.");
        RuleFor(c => c.Health).NotNull().WithMessage($"'health' is required: one of {EnumText.Names<Initiatives.Health>()}.");
        RuleFor(c => c.Note).Optional(NoteMaxLength, TextShape.MultiLine);
    }
}

internal sealed class CreateCheckInHandler(
    UnitOfWork writes, AuditTrail audit, CurrentActor actor, TrackerClock clock, InitiativeScope scope, WebhookOutbox webhooks)
    : IRequestHandler<CreateCheckInCommand, CheckInResponse?>
{
    private const string InsertSql = $"""
        INSERT INTO check_ins (initiative_id, progress, status, previous_status, health, note, reported_by, reported_at, completed_on)
        VALUES (@InitiativeId, @Progress, @Status, @PreviousStatus, @Health, @Note, @ReportedBy, @ReportedAt, @CompletedOn)
        RETURNING {CheckInRow.Columns};
        """;

    private const string ArchivedOwnerSql = "SELECT 1 FROM owners WHERE id = @Id AND deleted_at IS NOT NULL;";

    private const string ArchivedTaskForceSql = "SELECT 1 FROM task_forces WHERE id = @Id AND deleted_at IS NOT NULL;";

    private const string UpdateSql = """
        UPDATE initiatives
        SET status = @Status, progress = @Progress, health = @Health, completed_on = @CompletedOn,
            task_force_id = @TaskForceId, last_check_in_at = @LastCheckInAt, version = @Version, updated_at = @UpdatedAt
        WHERE id = @Id;
        """;

    public Task<CheckInResponse?> Handle(CreateCheckInCommand command, CancellationToken cancellationToken) =>
        writes.WriteAsync(async (connection, transaction) =>
        {
            // Read inside the write transaction: concurrent check-ins queue on the write gate, and each
            // one moves on from the state the previous one left.
            var before = await connection.QuerySingleOrDefaultAsync<InitiativeRow>(
                new CommandDefinition(InitiativeRow.SelectById, new { Id = command.InitiativeId }, transaction, cancellationToken: cancellationToken));
            if (before is null)
            {
                return null;
            }

            await scope.RequireWriteAsync(connection, transaction, before.OwnerId, before.TaskForceId, cancellationToken);
            Preconditions.Check(command.IfMatch, before.Version);
            var from = EnumText.Parse<InitiativeStatus>(before.Status);
            var to = command.Status ?? from;
            StatusWorkflow.EnsureAllowed(from, to);
            if (StatusWorkflow.IsReopen(from, to) && command.Note is null)
            {
                throw Invalid.Field("note", "Reopening a done initiative needs a note saying why.");
            }

            if (StatusWorkflow.IsReopen(from, to) && await connection.ExecuteScalarAsync<long?>(
                new CommandDefinition(ArchivedOwnerSql, new { Id = before.OwnerId }, transaction, cancellationToken: cancellationToken)) is not null)
            {
                // Deleting an owner is refused while they hold open initiatives; a reopen must not bring one back.
                throw new ProblemException(StatusCodes.Status409Conflict, ProblemTypes.OwnerArchived, "Owner Archived",
                    $"Initiative {before.Id} cannot be reopened: its owner (owner {before.OwnerId}) was deleted, and an open initiative needs "
                    + $"an active owner. Reassign the initiative to an active owner first (PATCH {InitiativeEndpoints.BasePath}/{before.Id} "
                    + "with an ownerId), then reopen it.");
            }

            // Deleting a task force detaches its open initiatives; a reopen detaches one the same way.
            var taskForceId = StatusWorkflow.IsReopen(from, to) && before.TaskForceId is { } taskForce
                && await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
                    ArchivedTaskForceSql, new { Id = taskForce }, transaction, cancellationToken: cancellationToken)) is not null
                ? null
                : before.TaskForceId;

            var now = clock.UtcNow;
            // Only the move into done reaches done (done → done is not a transition), and a reopen clears it.
            // The check-in keeps the date it set, so reports rebuild past days without re-deriving it.
            DateOnly? completedOn = to == InitiativeStatus.Done ? clock.Today : null;
            var checkIn = await connection.QuerySingleAsync<CheckInRow>(new CommandDefinition(InsertSql, new
            {
                command.InitiativeId,
                Progress = to == InitiativeStatus.Done ? 100 : command.Progress!.Value,
                Status = to.ToText(),
                PreviousStatus = before.Status,
                Health = command.Health!.Value.ToText(),
                command.Note,
                ReportedBy = actor.Name,
                ReportedAt = now,
                CompletedOn = completedOn,
            }, transaction, cancellationToken: cancellationToken));

            var after = before with
            {
                Status = checkIn.Status,
                Progress = checkIn.Progress,
                Health = checkIn.Health,
                CompletedOn = completedOn,
                TaskForceId = taskForceId,
                LastCheckInAt = now,
                Version = before.Version + 1,
                UpdatedAt = now,
            };
            await connection.ExecuteAsync(new CommandDefinition(UpdateSql, after, transaction, cancellationToken: cancellationToken));

            var response = checkIn.ToResponse();
            await audit.RecordAsync(connection, transaction, AuditEntityType.CheckIn, checkIn.Id, AuditAction.Create, null, response, cancellationToken);
            await audit.RecordAsync(connection, transaction, AuditEntityType.Initiative, after.Id, AuditAction.Update, before, after, cancellationToken);
            await webhooks.EnqueueAsync(connection, transaction, WebhookEvents.CheckedIn(response, after.ToResponse(clock.Today)), cancellationToken);
            return response;
        }, cancellationToken);
}

internal static class CreateCheckIn
{
    public static void Map(RouteGroupBuilder group) => group.MapPost("/", Handle)
        .WithName("createCheckIn")
        .WithSummary("Report progress: sets the initiative's progress, status and health (If-Match: the initiative's ETag)")
        .WithDescription("A status outside the workflow is a 409 `…/problems/invalid-transition` naming the allowed ones. Reopening a done "
            + "initiative (`in_progress`, with a `note`) whose owner was deleted is a 409 `…/problems/owner-archived`: an open initiative needs an "
            + "active owner, so reassign it first (PATCH the initiative's `ownerId`). The 201 carries the check-in and its Location but no ETag: "
            + "this POST changed the initiative, and a tag in its answer could be mistaken for the initiative's new ETag. Re-read the initiative for that.")
        .RequireAuthorization(Policies.Write)
        .ProducesProblem(StatusCodes.Status409Conflict);

    private static async Task<Results<CreatedAt<CheckInResponse>, NotFound>> Handle(
        long id, CreateCheckInCommand command, IfMatch ifMatch, IMediator mediator, CancellationToken ct)
    {
        var checkIn = await mediator.Send(command with { InitiativeId = id, IfMatch = ifMatch.Versions }, ct);
        return checkIn is null
            ? TypedResults.NotFound()
            : Resource.CreatedAt(CheckInEndpoints.PathOf(id, checkIn.Id), checkIn);
    }
}
