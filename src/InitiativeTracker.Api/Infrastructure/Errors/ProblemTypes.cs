namespace InitiativeTracker.Api.Infrastructure.Errors;

/// <summary>
/// The stable <c>type</c> URI of each kind of problem the API answers; clients branch on these, so
/// they never change once published. Each is documented in <c>openapi.yaml</c>.
/// </summary>
public static class ProblemTypes
{
    private const string Base = "https://initiative-tracker.example/problems/";

    public const string Validation = Base + "validation";
    public const string BadRequest = Base + "bad-request";
    public const string Unauthorized = Base + "unauthorized";
    public const string Forbidden = Base + "forbidden";
    public const string NotFound = Base + "not-found";
    public const string MethodNotAllowed = Base + "method-not-allowed";
    public const string Conflict = Base + "conflict";
    public const string InvalidTransition = Base + "invalid-transition";
    public const string OwnerArchived = Base + "owner-archived";
    public const string EmailOff = Base + "email-off";
    public const string UnsubscribeLinkInvalid = Base + "unsubscribe-link-invalid";
    public const string PreconditionFailed = Base + "precondition-failed";
    public const string PayloadTooLarge = Base + "payload-too-large";
    public const string UriTooLong = Base + "uri-too-long";
    public const string TooManyHeaders = Base + "too-many-headers";
    public const string UnsupportedMediaType = Base + "unsupported-media-type";
    public const string NotAcceptable = Base + "not-acceptable";
    public const string IdempotencyKeyReused = Base + "idempotency-key-reused";
    public const string IdempotencyKeyInProgress = Base + "idempotency-key-in-progress";
    public const string RateLimited = Base + "rate-limited";
    public const string Internal = Base + "internal";
    public const string Unavailable = Base + "unavailable";
    public const string DatabaseBusy = Base + "database-busy";
    public const string StorageError = Base + "storage-error";
    public const string StorageFull = Base + "storage-full";

    public static string ForStatus(int status) => status switch
    {
        400 => BadRequest,
        401 => Unauthorized,
        403 => Forbidden,
        404 => NotFound,
        405 => MethodNotAllowed,
        409 => Conflict,
        406 => NotAcceptable,
        412 => PreconditionFailed,
        413 => PayloadTooLarge,
        414 => UriTooLong,
        415 => UnsupportedMediaType,
        431 => TooManyHeaders,
        422 => IdempotencyKeyReused,
        429 => RateLimited,
        503 => Unavailable,
        507 => StorageFull,
        _ when status >= 500 => Internal,
        _ => BadRequest,
    };
}
