using System.Net;

namespace InitiativeTracker.Cli;

/// <summary>The exit codes scripts branch on (docs/cli.md lists them).</summary>
internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The request or the command line was refused as it stands (400, 422, and the other client errors).</summary>
    public const int BadInput = 1;

    /// <summary>No API key, or the service refused it (401) or its role (403).</summary>
    public const int KeyRefused = 2;

    public const int NotFound = 3;

    /// <summary>The change clashes with the data or with a newer version (409, 412).</summary>
    public const int Conflict = 4;

    /// <summary>The service failed (5xx, or 429 after every retry) or could not be reached.</summary>
    public const int Unavailable = 5;

    public static int ForStatus(int status) => status switch
    {
        (int)HttpStatusCode.Unauthorized or (int)HttpStatusCode.Forbidden => KeyRefused,
        (int)HttpStatusCode.NotFound => NotFound,
        (int)HttpStatusCode.Conflict or (int)HttpStatusCode.PreconditionFailed => Conflict,
        (int)HttpStatusCode.TooManyRequests or >= 500 => Unavailable,
        _ => BadInput,
    };
}
