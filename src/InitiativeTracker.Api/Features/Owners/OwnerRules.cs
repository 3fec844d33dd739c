using FluentValidation;
using InitiativeTracker.Api.Infrastructure.Http;
using InitiativeTracker.Api.Infrastructure.Validation;

namespace InitiativeTracker.Api.Features.Owners;

/// <summary>The fields an owner is written with, shared by create and update.</summary>
internal interface IOwnerFields
{
    string? Name { get; }
    string? Email { get; }
    string? Unit { get; }

    /// <summary>Whether the owner gets the daily deadline reminder email (default true).</summary>
    bool? EmailReminders { get; }
}

internal static class OwnerRules
{
    public static void AddOwnerRules<T>(this AbstractValidator<T> validator)
        where T : IOwnerFields
    {
        validator.RuleFor(o => o.Name).Required(200, TextShape.SingleLine);
        validator.RuleFor(o => o.Email).OptionalEmail()
            .IdentityText("among active owners' emails (its domain in ASCII, IDNA, form)");
        validator.RuleFor(o => o.Unit).Optional(200, TextShape.SingleLine);
    }
}
