using System.Globalization;
using InitiativeTracker.Api.Infrastructure.Database;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Net.Http.Headers;

namespace InitiativeTracker.Api.Infrastructure.Errors;

/// <summary>
/// Answers a request that failed on the storage with what the fault is, before the
/// <see cref="ProblemExceptionHandler"/> would make it a 500 with a stack trace logged: full is 507
/// (<see cref="ProblemTypes.StorageFull"/>), the write lock held elsewhere past the wait is 503 with
/// Retry-After (<see cref="ProblemTypes.DatabaseBusy"/>), an I/O error 503
/// (<see cref="ProblemTypes.StorageError"/>). The fault is recorded in <see cref="StorageFaults"/>, which
/// logs it once when it starts and once when it clears; the requests themselves log nothing more than
/// their request line. The write was rolled back, so nothing of the request was saved.
/// </summary>
public sealed class StorageFaultHandler(IProblemDetailsService problems, StorageFaults faults) : IExceptionHandler
{
    public const string FullDetail = "The server's storage is full, so the change was not saved. Retry once space has been freed.";

    public const string BusyDetail = "Another process held the database's write lock for longer than the service waits, "
        + "so the change was not saved. Retry after the number of seconds in Retry-After.";

    public const string IoErrorDetail = "The server's storage failed, so the change was not saved. Retry later.";

    /// <summary>The wait a busy answer asks for: about the time one write waits for the lock (<see cref="Db"/>).</summary>
    public const int BusyRetryAfterSeconds = 5;

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (StorageFaults.Classify(exception) is not { } fault)
        {
            return false;
        }

        faults.Observe(exception);
        var (status, type, title, detail) = fault switch
        {
            StorageFault.Full => (StatusCodes.Status507InsufficientStorage, ProblemTypes.StorageFull, "Insufficient Storage", FullDetail),
            StorageFault.Busy => (StatusCodes.Status503ServiceUnavailable, ProblemTypes.DatabaseBusy, "Database Busy", BusyDetail),
            _ => (StatusCodes.Status503ServiceUnavailable, ProblemTypes.StorageError, "Storage Error", IoErrorDetail),
        };
        if (fault == StorageFault.Busy)
        {
            httpContext.Response.Headers[HeaderNames.RetryAfter] = BusyRetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        }

        httpContext.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = ProblemException.Create(status, type, title, detail),
            Exception = exception,
        });
    }

}
