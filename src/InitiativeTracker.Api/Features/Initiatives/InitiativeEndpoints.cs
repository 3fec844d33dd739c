using System.Globalization;
using FluentValidation;
using InitiativeTracker.Api.Infrastructure.Auth;
using InitiativeTracker.Api.Infrastructure.Http;

namespace InitiativeTracker.Api.Features.Initiatives;

internal static class InitiativeEndpoints
{
    public const string Path = "/initiatives";
    public const string BasePath = ApiRoutes.Prefix + Path;

    public static void MapInitiativeEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Path).WithTags("Initiatives").RequireAuthorization(Policies.Read);
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
        validator.RuleFor(i => i.DirectionId).GreaterThan(0).WithMessage("'directionId' is required: the id of a direction, a whole number above 0.");
        validator.RuleFor(i => i.OwnerId).GreaterThan(0).WithMessage("'ownerId' is required: the id of an owner, a whole number above 0.");
        validator.RuleFor(i => i.TaskForceId).GreaterThan(0);
        validator.RuleFor(i => i.StartDate).InRange();
        validator.RuleFor(i => i.Title).Required(300, TextShape.SingleLine);
        validator.RuleFor(i => i.Description).Optional(10_000, TextShape.MultiLine);
    }
}

/// <summary>
/// What a client is told when it writes a field that another route changes: create, PUT and PATCH
/// refuse it the same way, naming the route (a 400 keyed by the field), rather than ignore it.
/// </summary>
internal static class StateFieldRoutes
{
    /// <summary>The check-in route of initiative <paramref name="id"/>, or its template before the initiative exists.</summary>
    public static string CheckIns(long? id) => $"{InitiativeEndpoints.BasePath}/{Id(id)}/check-ins";

    public static string Deadline(long? id) => $"{InitiativeEndpoints.BasePath}/{Id(id)}/deadline";

    public static string Status(long? id) => $"Status changes through a check-in: POST {CheckIns(id)}.";

    public static string Progress(long? id) => $"Progress changes through a check-in: POST {CheckIns(id)}.";

    public static string Health(long? id) => $"Health changes through a check-in: POST {CheckIns(id)}.";

    public static string CompletedOn(long? id) => $"'completedOn' is set by the check-in that marks the initiative done: POST {CheckIns(id)}.";

    public static string MovedDeadline(long? id) => $"The deadline moves with a reason: PUT {Deadline(id)}.";

    private static string Id(long? id) => id?.ToString(CultureInfo.InvariantCulture) ?? "{id}";
}
