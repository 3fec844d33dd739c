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

namespace InitiativeTracker.Api.Features.TaskForces;

internal sealed record CreateTaskForceCommand : IRequest<TaskForceResponse>, ITaskForceFields, IDocumentedExample<CreateTaskForceCommand>
{
    public string? Name { get; init; }
    public string? Mandate { get; init; }
    public long? LeadId { get; init; }

    public static CreateTaskForceCommand Example => new()
    {
        Name = "Technology Transfer Task Force",
        Mandate = "Commercialize results along the Silk Road",
        LeadId = 7,
    };
}

internal sealed class CreateTaskForceValidator : AbstractValidator<CreateTaskForceCommand>
{
    public CreateTaskForceValidator() => this.AddTaskForceRules();
}

internal sealed class CreateTaskForceHandler(UnitOfWork writes, AuditTrail audit, TrackerClock clock)
    : IRequestHandler<CreateTaskForceCommand, TaskForceResponse>
{
    private const string InsertSql = $"""
        INSERT INTO task_forces (name, name_key, mandate, lead_id, created_at, updated_at)
        VALUES (@Name, @NameKey, @Mandate, @LeadId, @Now, @Now)
        RETURNING {TaskForceResponse.Columns};
        """;

    public Task<TaskForceResponse> Handle(CreateTaskForceCommand command, CancellationToken cancellationToken) =>
        writes.WriteAsync(async (connection, transaction) =>
        {
            await connection.RequireAsync(transaction, References.Owner, command.LeadId, "leadId", cancellationToken);
            var taskForce = await connection.QuerySingleAsync<TaskForceResponse>(new CommandDefinition(InsertSql,
                new { command.Name, NameKey = Identity.Key(command.Name!), command.Mandate, command.LeadId, Now = clock.UtcNowText },
                transaction, cancellationToken: cancellationToken));
            await audit.RecordAsync(connection, transaction, AuditEntityType.TaskForce, taskForce.Id, AuditAction.Create, null, taskForce, cancellationToken);
            return taskForce;
        }, cancellationToken);
}

internal static class CreateTaskForce
{
    public static void Map(RouteGroupBuilder group) => group.MapPost("/", Handle)
        .WithName("createTaskForce")
        .WithSummary("Set up a task force (name unique)")
        .RequireAuthorization(Policies.Admin)
        .ProducesProblem(StatusCodes.Status409Conflict);

    private static async Task<TaggedCreated<TaskForceResponse>> Handle(CreateTaskForceCommand command, IMediator mediator, CancellationToken ct)
    {
        var taskForce = await mediator.Send(command, ct);
        return Resource.Created($"/api/v1/task-forces/{taskForce.Id}", taskForce);
    }
}
