using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using InitiativeTracker.Api.Infrastructure.Auth;
using InitiativeTracker.Api.Infrastructure.Database;
using InitiativeTracker.Api.Infrastructure.Errors;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace InitiativeTracker.Api.Infrastructure.Idempotency;

/// <summary>
/// Safe retries for every <c>POST</c> of the API (<see cref="IdempotencyRegistration.WithIdempotentPosts{TBuilder}"/>): a request carrying an <c>Idempotency-Key</c>
/// runs once per key and API key; the same request again within the retention replays the first
/// answer (marked <c>Idempotent-Replayed: true</c>) without writing, and a different request under the
/// same key is a 422. A duplicate that arrives while the first is still running waits for it and
/// replays its answer (409 if it waits longer than <see cref="IdempotencyOptions.MaxWait"/>).
/// Only 2xx answers are kept, in the same transaction as the request's writes: anything else wrote
/// nothing, so a retry simply runs again.
/// </summary>
public sealed class IdempotencyMiddleware(
    RequestDelegate next,
    IdempotencyStore store,
    IOptions<IdempotencyOptions> options)
{
    public const string HeaderName = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";
    public const int MaxKeyLength = 200;

    /// <summary>The response headers a replay repeats besides the status and body.</summary>
    private static readonly string[] s_replayedHeaders = ["Content-Type", "Location", "ETag"];

    /// <summary>How often a duplicate looks whether the request holding its key has finished (real time: a wait, not a date).</summary>
    private static readonly TimeSpan s_poll = TimeSpan.FromMilliseconds(250);

    public async Task InvokeAsync(HttpContext context)
    {
        if (!Applies(context) || !context.Request.Headers.TryGetValue(HeaderName, out var values))
        {
            await next(context);
            return;
        }

        if (values.Count != 1 || !IsValidKey(values[0]))
        {
            await RefuseKeyAsync(context, $"Send one {HeaderName} of 1 to {MaxKeyLength} printable ASCII characters (a UUID is a good choice).",
                $"Must be 1 to {MaxKeyLength} printable ASCII characters, sent once.");
            return;
        }

        if (context.GetEndpoint()?.Metadata.GetMetadata<DisableIdempotencyAttribute>() is not null)
        {
            await RefuseKeyAsync(context,
                $"This operation does not take an {HeaderName}: its answer holds a secret that is shown once and never stored.", "Not supported by this operation.");
            return;
        }

        var scope = context.RequestServices.GetRequiredService<CurrentActor>().Name;
        var request = new IdempotentRequest(scope, values[0]!, await FingerprintAsync(context.Request, context.RequestAborted));
        if (await ClaimAsync(context, request) is { } token)
        {
            await RunAndKeepAsync(context, request, token);
        }
    }

    /// <summary>
    /// Only an authenticated POST to an endpoint that takes a key (<see cref="IdempotentEndpoint"/>) or
    /// refuses one (<see cref="DisableIdempotencyAttribute"/>): an unknown route, or the 405 answered for a
    /// wrong method (which needs no key), answers as it would without the header and writes nothing.
    /// </summary>
    private static bool Applies(HttpContext context) =>
        HttpMethods.IsPost(context.Request.Method)
        && context.User.Identity?.IsAuthenticated == true
        && context.GetEndpoint()?.Metadata is { } metadata
        && (metadata.GetMetadata<IdempotentEndpoint>() is not null || metadata.GetMetadata<DisableIdempotencyAttribute>() is not null);

    private static bool IsValidKey(string? key) =>
        key is { Length: > 0 and <= MaxKeyLength } && key.All(c => c is >= ' ' and <= '~');

    /// <summary>Claims the key, or answers (replay, 422, 409) and returns null.</summary>
    private async Task<string?> ClaimAsync(HttpContext context, IdempotentRequest request)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            switch (await store.ClaimAsync(request, context.RequestAborted))
            {
                case KeyClaim.Reserved reserved:
                    return reserved.Token;
                case KeyClaim.Answered answered:
                    await ReplayAsync(context, answered.Response);
                    return null;
                case KeyClaim.Mismatch:
                    await WriteProblemAsync(context, ProblemException.Create(StatusCodes.Status422UnprocessableEntity, ProblemTypes.IdempotencyKeyReused,
                        "Idempotency key reused",
                        $"This {HeaderName} was used for a different request (method, path or body) within the last {options.Value.Retention.TotalHours:0.#} hours. Use a new key for a new request."));
                    return null;
                case KeyClaim.InProgress when waited.Elapsed >= options.Value.MaxWait:
                    context.Response.Headers.RetryAfter = "1";
                    await WriteProblemAsync(context, ProblemException.Create(StatusCodes.Status409Conflict, ProblemTypes.IdempotencyKeyInProgress,
                        "Request in progress", $"A request with this {HeaderName} is still being processed. Retry after a moment to receive its answer."));
                    return null;
                case KeyClaim.InProgress:
                    await Task.Delay(s_poll, context.RequestAborted);
                    break;
            }
        }
    }

    private async Task RunAndKeepAsync(HttpContext context, IdempotentRequest request, string token)
    {
        var response = context.Response;
        var body = response.Body;
        using var captured = new MemoryStream();
        response.Body = captured;
        var kept = false;
        try
        {
            // The request's writes and the answer kept for its key commit in one transaction: after a
            // crash the key holds both or neither, so a retry never writes twice. Anything but a 2xx
            // rolls back (a refused request writes nothing) and frees the key for a retry.
            var writes = context.RequestServices.GetRequiredService<UnitOfWork>();
            await using var held = writes.Hold();
            await next(context);
            if (response.StatusCode is >= 200 and < 300)
            {
                var headers = s_replayedHeaders.Where(response.Headers.ContainsKey).ToDictionary(name => name, name => response.Headers[name].ToString());
                var answer = new StoredResponse(response.StatusCode, headers, captured.ToArray());
                await writes.CommitAsync(async (connection, transaction) =>
                {
                    if (!await store.KeepAsync(connection, transaction, request, token, answer))
                    {
                        // Another run took the key over meanwhile (see IdempotencyStore): it answers for the key.
                        throw new ProblemException(StatusCodes.Status409Conflict, ProblemTypes.IdempotencyKeyInProgress, "Request in progress",
                            $"Another request with this {HeaderName} took it over. Retry to receive its answer.");
                    }
                });
                kept = true;
            }
        }
        finally
        {
            response.Body = body;
            if (!kept)
            {
                await store.ReleaseAsync(request, token);
            }
        }

        captured.Position = 0;
        await captured.CopyToAsync(body, context.RequestAborted);
    }

    private static async Task ReplayAsync(HttpContext context, StoredResponse stored)
    {
        var response = context.Response;
        response.StatusCode = stored.StatusCode;
        foreach (var (name, value) in stored.Headers)
        {
            response.Headers[name] = value;
        }

        response.Headers[ReplayedHeader] = "true";
        response.ContentLength = stored.Body.Length;
        await response.Body.WriteAsync(stored.Body, context.RequestAborted);
    }

    /// <summary>SHA-256 of the method, path and query, and body: what "the same request" means.</summary>
    private static async Task<string> FingerprintAsync(HttpRequest request, CancellationToken ct)
    {
        request.EnableBuffering();
        using var sha256 = SHA256.Create();
        await using var hashing = new CryptoStream(Stream.Null, sha256, CryptoStreamMode.Write);
        await hashing.WriteAsync(Encoding.UTF8.GetBytes($"{request.Method} {request.Path}{request.QueryString}\n"), ct);
        await request.Body.CopyToAsync(hashing, ct);
        await hashing.FlushFinalBlockAsync(ct);
        request.Body.Position = 0;
        return Convert.ToHexStringLower(sha256.Hash!);
    }

    private static Task RefuseKeyAsync(HttpContext context, string detail, string error) =>
        WriteProblemAsync(context, Invalid.Keys(new Dictionary<string, string[]> { [HeaderName] = [error] }, detail).Problem);

    private static Task WriteProblemAsync(HttpContext context, ProblemDetails problem) => TypedResults.Problem(problem).ExecuteAsync(context);
}

/// <summary>
/// Marks a POST whose answer must never be stored (it shows a secret once, like a new API key):
/// an <c>Idempotency-Key</c> sent to it is a 400 rather than being ignored.
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class)]
public sealed class DisableIdempotencyAttribute : Attribute;
