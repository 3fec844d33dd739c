using FluentValidation;
using FluentValidation.Results;

namespace InitiativeTracker.Api.Infrastructure.Errors;

/// <summary>Validation failures found by a handler (a reference to a missing row), raised the same way the validators raise theirs.</summary>
public static class Invalid
{
    public static ValidationException Field(string field, string message) =>
        new([new ValidationFailure(field, message)]);
}
