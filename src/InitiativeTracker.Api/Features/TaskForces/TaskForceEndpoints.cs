using FluentValidation;
using InitiativeTracker.Api.Infrastructure.Auth;
using InitiativeTracker.Api.Infrastructure.Http;
using InitiativeTracker.Api.Infrastructure.Validation;

namespace InitiativeTracker.Api.Features.TaskForces;

internal static class TaskForceEndpoints
{
    public static void MapTaskForceEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/task-forces").WithTags("Task forces").RequireAuthorization(Policies.Read);
        ListTaskForces.Map(group);
        GetTaskForce.Map(group);
        CreateTaskForce.Map(group);
        UpdateTaskForce.Map(group);
        DeleteTaskForce.Map(group);
    }
}

/// <summary>The fields a task force is written with, shared by create and update.</summary>
internal interface ITaskForceFields
{
    string? Name { get; }
    string? Mandate { get; }
    long? LeadId { get; }
}

internal static class TaskForceRules
{
    public static void AddTaskForceRules<T>(this AbstractValidator<T> validator)
        where T : ITaskForceFields
    {
        validator.RuleFor(t => t.Name).Required(200, TextShape.SingleLine).IdentityText("among active task forces' names");
        validator.RuleFor(t => t.Mandate).Optional(10_000, TextShape.MultiLine);
        validator.RuleFor(t => t.LeadId).GreaterThan(0);
    }
}
