using System.Text.Json.Serialization;
using Dapper;
using FluentValidation;
using InitiativeTracker.Api.Infrastructure.Audit;
using InitiativeTracker.Api.Infrastructure.Auth;
using InitiativeTracker.Api.Infrastructure.Database;
using InitiativeTracker.Api.Infrastructure.Http;
using InitiativeTracker.Api.Infrastructure.OpenApi;
using InitiativeTracker.Api.Infrastructure.Time;
using InitiativeTracker.Api.Infrastructure.Validation;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace InitiativeTracker.Api.Features.TaskForces;

internal sealed record UpdateTaskForceCommand : IRequest<TaskForceResponse?>, ITaskForceFields, IDocumentedExample<UpdateTaskForceCommand>
{
    [JsonIgnore]
    public long Id { get; init; }

    [JsonIgnore]
    public long[]? IfMatch { get; init; }

    public string? Name { get; init; }
    public string? Mandate { get; init; }
    public long? LeadId { get; init; }

    public static UpdateTaskForceCommand Example => new()
    {
        Name = "Technology Transfer Task Force",
        Mandate = "Commercialize results along the Silk Road and in Central Asia",
        LeadId = 7,
    };
}

internal sealed class UpdateTaskForceValidator : AbstractValidator<UpdateTaskForceCommand>
{
    public UpdateTaskForceValidator() => this.AddTaskForceRules();
}

internal sealed class UpdateTaskForceHandler(UnitOfWork writes, AuditTrail audit, TrackerClock clock)
    : IRequestHandler<UpdateTaskForceCommand, TaskForceResponse?>
{
    private const string UpdateSql = """
        UPDATE task_forces SET name = @Name, name_key = @NameKey, mandate = @Mandate, lead_id = @LeadId, version = @Version, updated_at = @UpdatedAt
        WHERE id = @Id;
        """;

    public Task<TaskForceResponse?> Handle(UpdateTaskForceCommand command, CancellationToken cancellationToken) =>
        writes.WriteAsync(async (connection, transaction) =>
        {
            var before = await connection.QuerySingleOrDefaultAsync<TaskForceResponse>(
                new CommandDefinition(TaskForceResponse.SelectById, new { command.Id }, transaction, cancellationToken: cancellationToken));
            if (before is null)
            {
                return null;
            }

            Preconditions.Check(command.IfMatch, before.Version);
            await connection.RequireAsync(transaction, References.Owner, command.LeadId, "leadId", cancellationToken);
            var after = before with
            {
                Name = command.Name!,
                Mandate = command.Mandate,
                LeadId = command.LeadId,
            };
            if (AuditTrail.IsUnchanged(before, after))
            {
                return before;
            }

            after = after with { Version = before.Version + 1, UpdatedAt = clock.UtcNow };
            await connection.ExecuteAsync(new CommandDefinition(UpdateSql, new
            {
                after.Id, after.Name, NameKey = Identity.Key(after.Name), after.Mandate, after.LeadId, after.Version, after.UpdatedAt,
            }, transaction, cancellationToken: cancellationToken));
            await audit.RecordAsync(connection, transaction, AuditEntityType.TaskForce, after.Id, AuditAction.Update, before, after, cancellationToken);
            return after;
        }, cancellationToken);
}

internal static class UpdateTaskForce
{
    public static void Map(RouteGroupBuilder group) => group.MapPut("/{id:long}", Handle)
        .WithName("updateTaskForce")
        .WithSummary("Replace a task force's fields")
        .RequireAuthorization(Policies.Admin)
        .ProducesProblem(StatusCodes.Status409Conflict);

    private static async Task<Results<Tagged<TaskForceResponse>, NotFound>> Handle(
        long id, UpdateTaskForceCommand command, IfMatch ifMatch,
        IMediator mediator, CancellationToken ct)
    {
        var taskForce = await mediator.Send(command with { Id = id, IfMatch = ifMatch.Versions }, ct);
        if (taskForce is null)
        {
            return TypedResults.NotFound();
        }

        return Resource.Ok(taskForce);
    }
}
