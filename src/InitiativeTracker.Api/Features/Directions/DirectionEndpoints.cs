using FluentValidation;
using InitiativeTracker.Api.Infrastructure.Auth;
using InitiativeTracker.Api.Infrastructure.Http;

namespace InitiativeTracker.Api.Features.Directions;

internal static class DirectionEndpoints
{
    public static void MapDirectionEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/directions").WithTags("Directions").RequireAuthorization(Policies.Read);
        ListDirections.Map(group);
        GetDirection.Map(group);
        CreateDirection.Map(group);
        UpdateDirection.Map(group);
        DeleteDirection.Map(group);
    }
}

/// <summary>The fields a direction is written with, shared by create and update.</summary>
internal interface IDirectionFields
{
    long MeetingId { get; }
    int Number { get; }
    string? Title { get; }
    string? Description { get; }
}

internal static class DirectionRules
{
    public static void AddDirectionRules<T>(this AbstractValidator<T> validator)
        where T : IDirectionFields
    {
        validator.RuleFor(d => d.MeetingId).GreaterThan(0).WithMessage("'meetingId' is required: the id of a meeting, a whole number above 0.");
        validator.RuleFor(d => d.Number).InclusiveBetween(1, 999);
        validator.RuleFor(d => d.Title).Required(300, TextShape.SingleLine);
        validator.RuleFor(d => d.Description).Optional(10_000, TextShape.MultiLine);
    }
}
