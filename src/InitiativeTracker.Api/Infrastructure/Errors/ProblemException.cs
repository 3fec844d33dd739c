using Microsoft.AspNetCore.Mvc;

namespace InitiativeTracker.Api.Infrastructure.Errors;

/// <summary>
/// A request that cannot be carried out (a conflict, a stale version, a forbidden transition). It is
/// thrown, not returned, because it must abort the write transaction it is found in; the
/// <see cref="ProblemExceptionHandler"/> writes its <see cref="Problem"/>.
/// </summary>
public sealed class ProblemException(
    int status,
    string type,
    string title,
    string detail,
    IDictionary<string, string[]>? errors = null,
    IDictionary<string, object?>? extensions = null) : Exception(detail)
{
    public ProblemDetails Problem { get; } = Create(status, type, title, detail, errors, extensions);

    /// <summary>
    /// A problem lists the errors of at most this many fields (an import of 5,000 bad rows has 60,000),
    /// the first found, and counts the rest in <see cref="NotListedMember"/>: an answer stays a few KB
    /// whatever the request, and the first errors are the ones to fix first.
    /// </summary>
    public const int MaxListedErrors = 100;

    /// <summary>The extension member that counts the fields in error past <see cref="MaxListedErrors"/>.</summary>
    public const string NotListedMember = "errorsNotListed";

    /// <summary>A problem with these members: an <see cref="HttpValidationProblemDetails"/> when it names fields in <paramref name="errors"/>.</summary>
    public static ProblemDetails Create(
        int status, string type, string title, string detail, IDictionary<string, string[]>? errors = null, IDictionary<string, object?>? extensions = null)
    {
        var notListed = errors is null ? 0 : errors.Count - MaxListedErrors;
        if (notListed > 0)
        {
            errors = errors!.Take(MaxListedErrors).ToDictionary();
            detail += $" The first {MaxListedErrors} fields in error are listed; {notListed} more are counted in {NotListedMember}.";
        }

        var problem = errors is null ? new ProblemDetails() : new HttpValidationProblemDetails(errors);
        problem.Status = status;
        problem.Type = type;
        problem.Title = title;
        problem.Detail = detail;
        if (notListed > 0)
        {
            problem.Extensions[NotListedMember] = notListed;
        }
        foreach (var (key, value) in extensions ?? new Dictionary<string, object?>())
        {
            problem.Extensions[key] = value;
        }

        return problem;
    }

    public static ProblemException Conflict(string detail, string? field = null) =>
        new(StatusCodes.Status409Conflict, ProblemTypes.Conflict, "Conflict", detail,
            field is null ? null : new Dictionary<string, string[]> { [field] = [detail] });

    public static ProblemException Forbidden(string detail) =>
        new(StatusCodes.Status403Forbidden, ProblemTypes.Forbidden, "Forbidden", detail);

    public static ProblemException PreconditionFailed(string detail) =>
        new(StatusCodes.Status412PreconditionFailed, ProblemTypes.PreconditionFailed, "Precondition Failed", detail);
}
