using System.Reflection;
using InitiativeTracker.Api.Features.Initiatives;
using InitiativeTracker.Api.Infrastructure.Errors;
using InitiativeTracker.Api.Infrastructure.Security;

namespace InitiativeTracker.Api.Infrastructure.OpenApi;

/// <summary>
/// What each problem <c>type</c> means, and the shared problem responses operations refer to. The
/// type URIs are read from <see cref="ProblemTypes"/>, so a new kind of problem is listed as soon as it
/// exists; give it a meaning here.
/// </summary>
internal static class ProblemCatalog
{
    /// <summary>The body limits as the 413's description states them (declared first: the tables below use it).</summary>
    private static readonly string s_bodyLimits =
        $"{RequestLimits.Size(RequestLimits.DefaultBodyBytes)}; {RequestLimits.Size(ImportInitiatives.MaxBodyBytes)} for imports";

    private static readonly Dictionary<string, string> s_meanings = new()
    {
        [ProblemTypes.Validation] = "400: fields, query parameters or headers are invalid; `errors` is keyed by the camelCase field (`rows[3].deadline` in an import), the query parameter or the header.",
        [ProblemTypes.BadRequest] = "400: the request could not be read.",
        [ProblemTypes.Unauthorized] = "401: no API key, or one that is unknown or revoked.",
        [ProblemTypes.Forbidden] = "403: the API key's role may not do this.",
        [ProblemTypes.NotFound] = "404: no resource at this address.",
        [ProblemTypes.MethodNotAllowed] = "405: the resource does not support this method.",
        [ProblemTypes.NotAcceptable] = "406: none of the representations in Accept can be produced.",
        [ProblemTypes.Conflict] = "409: the change clashes with other data (a unique field, keyed in `errors`) or with its use (a row still referenced).",
        [ProblemTypes.InvalidTransition] = "409: the status workflow does not allow this transition; the detail names the allowed ones.",
        [ProblemTypes.OwnerArchived] = "409: the initiative's owner was deleted (archived), and an open initiative needs an active owner: reassign it (PUT or PATCH `ownerId`), then reopen it.",
        [ProblemTypes.EmailOff] = "409: email is off (no Tracker:Email:Smtp:Host), so no test message can be sent; nothing was queued.",
        [ProblemTypes.UnsubscribeLinkInvalid] = "404: the unsubscribe link is not one this service signed (forged, altered or cut short); nothing was changed.",
        [ProblemTypes.IdempotencyKeyInProgress] = "409: a request with this Idempotency-Key is still running; retry after Retry-After to receive its answer.",
        [ProblemTypes.PreconditionFailed] = "412: If-Match names a version that is no longer current (or a weak tag, which never matches); fetch the resource and retry with its ETag.",
        [ProblemTypes.PayloadTooLarge] = $"413: the body is larger than the operation accepts ({s_bodyLimits}).",
        [ProblemTypes.UriTooLong] = "414: the query string is longer than 4096 characters; `errors` names the parameter that made it so.",
        [ProblemTypes.TooManyHeaders] = "431: the request carries more than 100 header fields.",
        [ProblemTypes.UnsupportedMediaType] = "415: the body's Content-Type is not one the operation reads.",
        [ProblemTypes.IdempotencyKeyReused] = "422: this Idempotency-Key was used within 24 hours for a different request (method, path or body).",
        [ProblemTypes.RateLimited] = "429: too many requests for this API key; wait for Retry-After seconds.",
        [ProblemTypes.Internal] = "500: the server failed; quote the traceId when reporting it.",
        [ProblemTypes.Unavailable] = "503: the service or its database is not available right now.",
        [ProblemTypes.DatabaseBusy] = "503: another process (a backup, maintenance) held the database's write lock for longer than the service waits; nothing was written: retry after Retry-After.",
        [ProblemTypes.StorageError] = "503: the server's storage failed a read or write; nothing was written. Retry later; the operator has been alerted by the log.",
        [ProblemTypes.StorageFull] = "507: the server's storage is full; nothing was written. Retry once the operator has freed space.",
    };

    /// <summary>Every problem type URI, in declaration order.</summary>
    public static IReadOnlyList<string> Types { get; } = typeof(ProblemTypes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f is { IsLiteral: true } && f.FieldType == typeof(string))
        .Select(f => (string)f.GetRawConstantValue()!)
        .ToList();

    public static string Meaning(string type) => s_meanings.GetValueOrDefault(type, "");

    /// <summary>
    /// The shared response for each problem status: its component name, description and the detail of
    /// its example; the example's type and title are those the API sends for the status unless given.
    /// </summary>
    public static IReadOnlyDictionary<string, ProblemResponse> Responses { get; } = new Dictionary<string, ProblemResponse>
    {
        ["400"] = new("ValidationFailed", "The request is invalid: `errors` names each field, query parameter or header and what is wrong with it. "
            + $"On every operation, a query parameter that would carry a credential ({string.Join(", ", QueryCredentials.Names.Select(n => $"`{n}`"))}, in any case) "
            + "is refused before the key is looked at: send the key as `Authorization: Bearer <key>` or `X-Api-Key: <key>`.",
            ProblemExceptionHandler.ValidationDetail, Errors: new() { ["deadline"] = ["'deadline' is required (yyyy-MM-dd)."] },
            Type: ProblemTypes.Validation, Title: ProblemExceptionHandler.ValidationTitle),
        ["401"] = new("Unauthorized", "No API key was sent, or it is unknown or revoked.",
            "Send an API key as 'Authorization: Bearer <key>' or 'X-Api-Key: <key>'.", Header: SharedComponents.WwwAuthenticateHeader),
        ["403"] = new("Forbidden", "The API key's role may not perform this operation (or, for a lead, not on this initiative).",
            "This API key's role may not perform this request."),
        ["404"] = new("NotFound", "No resource exists with this id.", "No resource exists at this address."),
        ["409"] = new("Conflict", "The request conflicts with the current data: a unique field is taken (keyed in `errors`), the row is still in use, "
            + "the status transition is not allowed, a done initiative whose owner was deleted is reopened, or a request with the same Idempotency-Key is still in progress (retry after Retry-After).",
            "Another record already has this email.", Errors: new() { ["email"] = ["Another record already has this email."] },
            Header: SharedComponents.RetryAfterHeader),
        ["412"] = new("PreconditionFailed", "If-Match named a version that is no longer current.",
            "The resource has changed: its current ETag is \"3\". Fetch it again and retry with that If-Match."),
        ["413"] = new("PayloadTooLarge", $"The request body is larger than this operation accepts ({s_bodyLimits}).",
            $"The request body may be at most {RequestLimits.DefaultBodyBytes} bytes here.", Title: RequestLimits.TooLargeTitle),
        ["414"] = new("UriTooLong", "The query string is longer than 4096 characters; `errors` names the parameter that made it so.",
            "The query string may be at most 4096 characters long.",
            Errors: new() { ["q"] = ["'q' makes the query string longer than 4096 characters."] }),
        ["415"] = new("UnsupportedMediaType", "The request body's Content-Type is not one this operation reads.", "Send the request body as application/json."),
        ["431"] = new("TooManyHeaders", "The request carries more than 100 header fields.",
            "A request may carry at most 100 header fields; this one has 300."),
        ["422"] = new("IdempotencyKeyReused", "The Idempotency-Key was already used, within 24 hours, for a different request (method, path or body).",
            "This Idempotency-Key was used for a different request (method, path or body) within the last 24 hours. Use a new key for a new request.",
            Title: "Idempotency key reused"),
        ["429"] = new("TooManyRequests", "Too many requests for this API key: wait for Retry-After seconds.",
            "This API key has made too many requests. Retry after the number of seconds in Retry-After.", Header: SharedComponents.RetryAfterHeader),
        ["503"] = new("ServiceUnavailable", "The service or its database is not available right now: another process held the write lock past the "
            + "wait (`database-busy`, with Retry-After), or the storage failed (`storage-error`). Nothing was written.",
            ProblemExceptionHandler.DatabaseBusyDetail, Header: SharedComponents.RetryAfterHeader, Type: ProblemTypes.DatabaseBusy),
        ["507"] = new("InsufficientStorage", "The server's storage is full: nothing was written. Retry once space has been freed.",
            ProblemExceptionHandler.StorageFullDetail),
        ["500"] = new("ServerError", "The server failed. The problem carries a traceId to quote; no stack trace or SQL is ever sent.",
            "The server could not complete the request. It has been logged; quote the traceId when reporting it."),
    };
}

/// <summary>
/// A shared problem response: the component it is, what its example differs in, and the shared header
/// it carries.
/// </summary>
internal sealed record ProblemResponse(
    string Component, string Description, string Detail,
    Dictionary<string, string[]>? Errors = null, string? Header = null, string? Type = null, string? Title = null);
