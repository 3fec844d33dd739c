using FluentValidation;
using InitiativeTracker.Api.Infrastructure.Auth;
using InitiativeTracker.Api.Infrastructure.Http;

namespace InitiativeTracker.Api.Features.Meetings;

internal static class MeetingEndpoints
{
    public static void MapMeetingEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/meetings").WithTags("Meetings").RequireAuthorization(Policies.Read);
        ListMeetings.Map(group);
        GetMeeting.Map(group);
        CreateMeeting.Map(group);
        UpdateMeeting.Map(group);
    }
}

/// <summary>The fields a meeting is written with, shared by create and update.</summary>
internal interface IMeetingFields
{
    string? Title { get; }
    DateOnly? HeldOn { get; }
    string? Location { get; }
    string? Summary { get; }
}

internal static class MeetingRules
{
    public static void AddMeetingRules<T>(this AbstractValidator<T> validator)
        where T : IMeetingFields
    {
        validator.RuleFor(m => m.Title).Required(300, TextShape.SingleLine);
        validator.RuleFor(m => m.HeldOn).RequiredDate();
        validator.RuleFor(m => m.Location).Optional(300, TextShape.SingleLine);
        validator.RuleFor(m => m.Summary).Optional(10_000, TextShape.MultiLine);
    }
}
