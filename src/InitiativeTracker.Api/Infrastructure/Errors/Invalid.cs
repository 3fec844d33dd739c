using FluentValidation;
using FluentValidation.Results;

namespace InitiativeTracker.Api.Infrastructure.Errors;

/// <summary>Validation failures found by a handler (a reference to a missing row), raised the same way the validators raise theirs.</summary>
public static class Invalid
{
    public static ValidationException Field(string field, string message) =>
        new([new ValidationFailure(field, message)]);

    /// <summary>A request header that cannot be read: a 400 keyed by the header's own name (<c>If-Match</c>, not camelCased as fields are).</summary>
    public static ProblemException Header(string header, string message) =>
        Keys(new Dictionary<string, string[]> { [header] = [message] });

    /// <summary>A 400 keyed exactly as given: names the client spelled (a header, a JSON member as sent), not camelCased as fields are.</summary>
    public static ProblemException Keys(IDictionary<string, string[]> errors, string detail = ProblemExceptionHandler.ValidationDetail) =>
        new(StatusCodes.Status400BadRequest, ProblemTypes.Validation, ProblemExceptionHandler.ValidationTitle, detail, errors);
}
