using System.Text.Json.Serialization;
using Dapper;
using FluentValidation;
using FluentValidation.Results;
using InitiativeTracker.Api.Features.Webhooks;
using InitiativeTracker.Api.Infrastructure.Audit;
using InitiativeTracker.Api.Infrastructure.Auth;
using InitiativeTracker.Api.Infrastructure.Database;
using InitiativeTracker.Api.Infrastructure.Errors;
using InitiativeTracker.Api.Infrastructure.Http;
using InitiativeTracker.Api.Infrastructure.OpenApi;
using InitiativeTracker.Api.Infrastructure.Time;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Data.Sqlite;

namespace InitiativeTracker.Api.Features.Initiatives;

/// <summary>
/// Replaces an initiative's descriptive fields. <c>status</c>, <c>progress</c>, <c>health</c> and
/// <c>deadline</c> may be sent only unchanged (so a GET body can be PUT back): they change through
/// check-ins and the deadline route.
/// </summary>
internal sealed record UpdateInitiativeCommand : IRequest<InitiativeResponse?>, IInitiativeFields, IDocumentedExample<UpdateInitiativeCommand>
{
    [JsonIgnore]
    public long Id { get; init; }

    [JsonIgnore]
    public long[]? IfMatch { get; init; }

    public long DirectionId { get; init; }
    public long OwnerId { get; init; }
    public long? TaskForceId { get; init; }
    public string? Title { get; init; }
    public string? Description { get; init; }
    public DateOnly? StartDate { get; init; }

    /// <summary>Read-only here: change it with a check-in.</summary>
    public InitiativeStatus? Status { get; init; }

    /// <summary>Read-only here: change it with a check-in.</summary>
    public int? Progress { get; init; }

    /// <summary>Read-only here: change it with a check-in.</summary>
    public Health? Health { get; init; }

    /// <summary>Read-only here: move it with PUT /api/v1/initiatives/{id}/deadline.</summary>
    public DateOnly? Deadline { get; init; }

    public static UpdateInitiativeCommand Example => new()
    {
        DirectionId = 2,
        OwnerId = 7,
        TaskForceId = 3,
        Title = "Joint technology transfer center in Almaty",
        Description = "With three partner universities",
        StartDate = new DateOnly(2026, 1, 15),
    };
}

internal sealed class UpdateInitiativeValidator : AbstractValidator<UpdateInitiativeCommand>
{
    public UpdateInitiativeValidator() => this.AddInitiativeRules();
}

internal sealed class UpdateInitiativeHandler(UnitOfWork writes, InitiativeEditor editor)
    : IRequestHandler<UpdateInitiativeCommand, InitiativeResponse?>
{
    public Task<InitiativeResponse?> Handle(UpdateInitiativeCommand command, CancellationToken cancellationToken) =>
        writes.WriteAsync(async (connection, transaction) =>
        {
            var before = await connection.QuerySingleOrDefaultAsync<InitiativeRow>(
                new CommandDefinition(InitiativeRow.SelectById, new { command.Id }, transaction, cancellationToken: cancellationToken));
            return before is null ? null : await editor.ApplyAsync(connection, transaction, before, command, null, cancellationToken);
        }, cancellationToken);
}

/// <summary>
/// The one write path of an initiative's descriptive fields, shared by PUT and PATCH: lead scope,
/// If-Match, the read-only state fields, references, the row, its audit entry and its webhook event,
/// all inside the caller's write transaction. An edit that changes no field writes none of these.
/// </summary>
internal sealed class InitiativeEditor(AuditTrail audit, TrackerClock clock, InitiativeScope scope, WebhookOutbox webhooks)
{
    private const string UpdateSql = """
        UPDATE initiatives
        SET direction_id = @DirectionId, owner_id = @OwnerId, task_force_id = @TaskForceId, title = @Title,
            description = @Description, start_date = @StartDate, version = @Version, updated_at = @UpdatedAt
        WHERE id = @Id;
        """;

    /// <summary>
    /// Writes <paramref name="command"/> over <paramref name="before"/>. PATCH passes its
    /// <paramref name="validator"/>: its merged fields only exist here, after the pipeline ran.
    /// </summary>
    public async Task<InitiativeResponse> ApplyAsync(
        SqliteConnection connection,
        SqliteTransaction transaction,
        InitiativeRow before,
        UpdateInitiativeCommand command,
        IValidator<UpdateInitiativeCommand>? validator,
        CancellationToken cancellationToken)
    {
        await scope.RequireWriteAsync(connection, transaction, before.OwnerId, before.TaskForceId, cancellationToken);
        Preconditions.Check(command.IfMatch, before.Version);

        // Every problem goes into one 400: the merged fields' rules (PATCH), the read-only fields, the
        // start date and the references, so a client fixes them all at once.
        List<ValidationFailure> failures = [];
        if (validator is not null)
        {
            failures.AddRange((await validator.ValidateAsync(command, cancellationToken)).Errors);
        }

        failures.AddRange(ChangesToStateFields(command, before));
        if (command.StartDate is { } start && start > before.Deadline)
        {
            failures.Add(new ValidationFailure("startDate", "'startDate' must not be after the deadline."));
        }

        // Only references the request changes are checked: a closed initiative keeps its archived owner
        // or task force, and its GET body can still be PUT back. A field that already broke a rule is
        // not looked up as well.
        (Reference Target, long? Id, string Field)[] references =
        [
            (References.Direction, Changed(command.DirectionId, before.DirectionId), "directionId"),
            (References.Owner, Changed(command.OwnerId, before.OwnerId), "ownerId"),
            (References.TaskForce, Changed(command.TaskForceId, before.TaskForceId), "taskForceId"),
        ];
        var invalid = failures.Select(f => ProblemExceptionHandler.CamelCasePath(f.PropertyName)).ToHashSet();
        failures.AddRange(await connection.MissingAsync(transaction, references.Where(r => !invalid.Contains(r.Field)), cancellationToken));
        if (failures.Count > 0)
        {
            throw new ValidationException(failures);
        }

        if (command.OwnerId != before.OwnerId || command.TaskForceId != before.TaskForceId)
        {
            // Moving an initiative must land it inside the caller's scope too.
            await scope.RequireWriteAsync(connection, transaction, command.OwnerId, command.TaskForceId, cancellationToken);
        }

        var after = before with
        {
            DirectionId = command.DirectionId,
            OwnerId = command.OwnerId,
            TaskForceId = command.TaskForceId,
            Title = command.Title!,
            Description = command.Description,
            StartDate = command.StartDate,
        };
        if (AuditTrail.IsUnchanged(before, after))
        {
            return before.ToResponse(clock.Today);
        }

        after = after with { Version = before.Version + 1, UpdatedAt = clock.UtcNow };
        await connection.ExecuteAsync(new CommandDefinition(UpdateSql, after, transaction, cancellationToken: cancellationToken));
        await audit.RecordAsync(connection, transaction, AuditEntityType.Initiative, after.Id, AuditAction.Update, before, after, cancellationToken);
        await webhooks.EnqueueAsync(connection, transaction, WebhookEvents.Updated(before, after, clock.Today), cancellationToken);
        return after.ToResponse(clock.Today);
    }

    private static long? Changed(long? value, long? current) => value == current ? null : value;

    private static List<ValidationFailure> ChangesToStateFields(UpdateInitiativeCommand command, InitiativeRow current)
    {
        List<ValidationFailure> failures = [];
        if (command.Status is { } status && status.ToText() != current.Status)
        {
            failures.Add(new("status", StateFieldRoutes.Status(current.Id)));
        }

        if (command.Progress is { } progress && progress != current.Progress)
        {
            failures.Add(new("progress", StateFieldRoutes.Progress(current.Id)));
        }

        if (command.Health is { } health && health.ToText() != current.Health)
        {
            failures.Add(new("health", StateFieldRoutes.Health(current.Id)));
        }

        if (command.Deadline is { } deadline && deadline != current.Deadline)
        {
            failures.Add(new("deadline", StateFieldRoutes.MovedDeadline(current.Id)));
        }

        return failures;
    }
}

internal static class UpdateInitiative
{
    public static void Map(RouteGroupBuilder group) => group.MapPut("/{id:long}", Handle)
        .WithName("updateInitiative")
        .WithSummary("Replace an initiative's descriptive fields")
        .RequireAuthorization(Policies.Write);

    private static async Task<Results<Tagged<InitiativeResponse>, NotFound>> Handle(
        long id, UpdateInitiativeCommand command, IfMatch ifMatch,
        IMediator mediator, CancellationToken ct)
    {
        var initiative = await mediator.Send(command with { Id = id, IfMatch = ifMatch.Versions }, ct);
        if (initiative is null)
        {
            return TypedResults.NotFound();
        }

        return Resource.Ok(initiative);
    }
}
