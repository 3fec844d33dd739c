using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using FluentValidation;
using InitiativeTracker.Api.Infrastructure.Database;
using InitiativeTracker.Api.Infrastructure.Validation;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Data.Sqlite;

namespace InitiativeTracker.Api.Infrastructure.Errors;

/// <summary>
/// The one place an exception becomes an HTTP answer: validation failures become 400s keyed by the
/// camelCase field, unreadable input a 4xx naming the field or parameter, <see cref="ProblemException"/>s
/// their own problem, a storage fault what it is (<see cref="FromStorageFault"/>), and anything else a
/// bare 500. No exception text, stack trace or SQL is ever sent.
/// </summary>
public sealed partial class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger)
    : IExceptionHandler
{
    public const string StorageFullDetail = "The server's storage is full, so the change was not saved. Retry once space has been freed.";

    public const string DatabaseBusyDetail = "Another process held the database's write lock for longer than the service waits, "
        + "so the change was not saved. Retry after the number of seconds in Retry-After.";

    /// <summary>The wait a busy answer asks for: about the time one write waits for the lock (<see cref="Db"/>).</summary>
    public const int BusyRetryAfterSeconds = 5;

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && httpContext.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is nobody to answer.
            return true;
        }

        var problem = exception switch
        {
            ValidationException validation => FromValidation(validation),
            ProblemException known => known.Problem,
            BadHttpRequestException badRequest => await FromBadRequestAsync(badRequest, httpContext),
            JsonException json => Validation(JsonField(json.Path), "The value is not valid JSON for this field."),
            SqliteException { SqliteExtendedErrorCode: 2067 or 1555 } unique => FromUniqueViolation(unique),
            SqliteException storage when StorageFaults.Classify(storage) is { } fault => FromStorageFault(fault, httpContext.Response),
            _ => null,
        };

        if (problem is null)
        {
            logger.LogError(exception, "Unhandled exception on {Method} {Path}", httpContext.Request.Method, httpContext.Request.Path);
            problem = ProblemException.Create(StatusCodes.Status500InternalServerError, ProblemTypes.Internal, "Internal Server Error",
                "The server could not complete the request. It has been logged; quote the traceId when reporting it.");
        }

        httpContext.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
            Exception = exception,
        });
    }

    private static ProblemDetails FromValidation(ValidationException exception)
    {
        var errors = exception.Errors
            .GroupBy(e => CamelCasePath(e.PropertyName))
            .ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).Distinct().ToArray());
        return Validation(errors);
    }

    private static async Task<ProblemDetails> FromBadRequestAsync(BadHttpRequestException exception, HttpContext httpContext)
    {
        switch (exception.StatusCode)
        {
            case StatusCodes.Status413PayloadTooLarge or StatusCodes.Status415UnsupportedMediaType:
                // Kestrel refusing a body over the endpoint's limit (413), or binding one it cannot read (415): ProblemShape
                // completes them with the title, type and detail every such answer has.
                return new ProblemDetails { Status = exception.StatusCode };
            case StatusCodes.Status400BadRequest:
                break;
            default:
                return ProblemException.Create(exception.StatusCode, ProblemTypes.ForStatus(exception.StatusCode), "Bad Request", "The request could not be read.");
        }

        // Binding stops at the first value it cannot read; name them all.
        var endpoint = httpContext.Features.Get<IExceptionHandlerFeature>()?.Endpoint ?? httpContext.GetEndpoint();
        if (exception.InnerException is JsonException json)
        {
            return await BodyErrors.CollectAsync(httpContext, endpoint) is { } errors
                ? Validation(errors)
                : json.Path is null or "$"
                    ? Validation("body", "The request body is not valid JSON, or not the JSON object this endpoint expects.")
                    : Validation(JsonField(json.Path), "The value is not valid for this field: check its type, format and range.");
        }

        if (UnreadableQueryParameter.Errors(httpContext, endpoint) is { } parameters)
        {
            return Validation(parameters);
        }

        return endpoint?.Metadata.GetMetadata<IAcceptsMetadata>() is not null && httpContext.Request.ContentLength is null or 0
            ? Validation("body", "A JSON request body is required.")
            : Validation("body", "The request could not be read.");
    }

    private static ProblemDetails FromUniqueViolation(SqliteException exception)
    {
        // "UNIQUE constraint failed: owners.email_key" names the clashing column(s): key the problem by the
        // last. An identity's key column (Validation/Identity.cs) is named for the field it is the key of.
        var columns = UniqueColumns().Match(exception.Message);
        var column = columns.Success ? columns.Groups["column"].Value : "id";
        var field = CamelCasePath(SnakeToPascal(column.EndsWith("_key", StringComparison.Ordinal) ? column[..^"_key".Length] : column));
        return ProblemException.Conflict($"Another record already has this {field}.", field).Problem;
    }

    /// <summary>
    /// Full is 507 (<see cref="ProblemTypes.StorageFull"/>), the write lock held elsewhere past the wait 503 with
    /// Retry-After (<see cref="ProblemTypes.DatabaseBusy"/>), an I/O error 503 (<see cref="ProblemTypes.StorageError"/>).
    /// <see cref="Db"/> recorded the fault in <see cref="StorageFaults"/>, which logs it once when it starts and
    /// once when it clears, so these requests log nothing more than their request line. The write was rolled
    /// back: nothing of the request was saved.
    /// </summary>
    private static ProblemDetails FromStorageFault(StorageFault fault, HttpResponse response)
    {
        if (fault == StorageFault.Busy)
        {
            response.Headers.RetryAfter = BusyRetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        }

        return fault switch
        {
            StorageFault.Full => ProblemException.Create(StatusCodes.Status507InsufficientStorage, ProblemTypes.StorageFull, "Insufficient Storage", StorageFullDetail),
            StorageFault.Busy => ProblemException.Create(StatusCodes.Status503ServiceUnavailable, ProblemTypes.DatabaseBusy, "Database Busy", DatabaseBusyDetail),
            _ => ProblemException.Create(StatusCodes.Status503ServiceUnavailable, ProblemTypes.StorageError, "Storage Error",
                "The server's storage failed, so the change was not saved. Retry later."),
        };
    }

    private static ProblemDetails Validation(string field, string message) =>
        Validation(new Dictionary<string, string[]> { [field] = [message] });

    private static ProblemDetails Validation(IDictionary<string, string[]> errors) => Invalid.Keys(errors).Problem;

    internal const string ValidationTitle = "One or more fields are invalid.";

    internal const string ValidationDetail = "See errors for the fields that need correcting.";

    /// <summary>"$.rows[3].deadline" → "rows[3].deadline"; the document itself → "body".</summary>
    private static string JsonField(string? path) => path switch
    {
        null or "$" => "body",
        _ when path.StartsWith("$.", StringComparison.Ordinal) => path[2..],
        _ when path.StartsWith('$') => path[1..],
        _ => path,
    };

    /// <summary>"Rows[3].Deadline" → "rows[3].deadline": FluentValidation names by C# property.</summary>
    public static string CamelCasePath(string path) =>
        string.Join('.', path.Split('.').Select(s => s.Length == 0 ? s : char.ToLowerInvariant(s[0]) + s[1..]));

    private static string SnakeToPascal(string snake) =>
        string.Concat(snake.Split('_').Select(p => p.Length == 0 ? p : char.ToUpperInvariant(p[0]) + p[1..]));

    [GeneratedRegex(@"UNIQUE constraint failed: (?:[\w.]+, )*\w+\.(?<column>\w+)")]
    private static partial Regex UniqueColumns();
}
