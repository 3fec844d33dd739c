using FluentValidation;
using InitiativeTracker.Api.Infrastructure.Auth;
using InitiativeTracker.Api.Infrastructure.Http;

namespace InitiativeTracker.Api.Features.Initiatives;

internal static class InitiativeEndpoints
{
    public const string EntityType = "initiative";
    public const string BasePath = "/api/v1/initiatives";

    public static void MapInitiativeEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(BasePath).WithTags("Initiatives").RequireAuthorization(Policies.Read);
        ListInitiatives.Map(group);
        GetInitiative.Map(group);
        CreateInitiative.Map(group);
        ImportInitiatives.Map(group);
        UpdateInitiative.Map(group);
        PatchInitiative.Map(group);
        DeleteInitiative.Map(group);
    }
}

/// <summary>The descriptive fields of an initiative: what create, PUT and PATCH write.</summary>
internal interface IInitiativeFields
{
    long DirectionId { get; }
    long OwnerId { get; }
    long? TaskForceId { get; }
    string? Title { get; }
    string? Description { get; }
    DateOnly? StartDate { get; }
}

internal static class InitiativeRules
{
    public static void AddInitiativeRules<T>(this AbstractValidator<T> validator)
        where T : IInitiativeFields
    {
        validator.RuleFor(i => i.DirectionId).GreaterThan(0).WithMessage("'directionId' is required.");
        validator.RuleFor(i => i.OwnerId).GreaterThan(0).WithMessage("'ownerId' is required.");
        validator.RuleFor(i => i.TaskForceId).GreaterThan(0);
        validator.RuleFor(i => i.StartDate).InRange();
        validator.RuleFor(i => i.Title).Required(300, TextShape.SingleLine);
        validator.RuleFor(i => i.Description).Optional(10_000, TextShape.MultiLine);
    }
}
