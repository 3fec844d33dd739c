namespace InitiativeTracker.Api.Infrastructure.Errors;

/// <summary>
/// A request that cannot be carried out (a conflict, a stale version, a forbidden transition). It is
/// thrown, not returned, because it must abort the write transaction it is found in; the
/// <see cref="ProblemExceptionHandler"/> turns it into the problem response.
/// </summary>
public sealed class ProblemException(
    int status,
    string type,
    string title,
    string detail,
    IDictionary<string, string[]>? errors = null,
    IDictionary<string, object?>? extensions = null) : Exception(detail)
{
    public int Status { get; } = status;
    public string Type { get; } = type;
    public string Title { get; } = title;
    public IDictionary<string, string[]>? Errors { get; } = errors;
    public IDictionary<string, object?>? Extensions { get; } = extensions;

    public static ProblemException Conflict(string detail, string? field = null) =>
        new(StatusCodes.Status409Conflict, ProblemTypes.Conflict, "Conflict", detail,
            field is null ? null : new Dictionary<string, string[]> { [field] = [detail] });

    public static ProblemException Forbidden(string detail) =>
        new(StatusCodes.Status403Forbidden, ProblemTypes.Forbidden, "Forbidden", detail);

    public static ProblemException NotFound(string detail) =>
        new(StatusCodes.Status404NotFound, ProblemTypes.NotFound, "Not Found", detail);

    public static ProblemException PreconditionFailed(string detail) =>
        new(StatusCodes.Status412PreconditionFailed, ProblemTypes.PreconditionFailed, "Precondition Failed", detail);
}
