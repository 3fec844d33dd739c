using System.Globalization;
using System.Net;

namespace InitiativeTracker.Cli.Http;

/// <summary>How often and how long to try one request.</summary>
internal sealed record RetryPolicy(int Retries, TimeSpan FirstDelay, TimeSpan MaxDelay, TimeSpan AttemptTimeout)
{
    public const int DefaultRetries = 6;

    public static RetryPolicy Default(int retries) =>
        new(retries, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(60));

    /// <summary>1 s, 2 s, 4 s, ... up to <see cref="MaxDelay"/>.</summary>
    public TimeSpan Backoff(int retry) =>
        TimeSpan.FromTicks(Math.Min(MaxDelay.Ticks, FirstDelay.Ticks * (1L << Math.Min(retry - 1, 20))));
}

/// <summary>
/// Makes every request of one command safe to repeat and repeats it: a write (anything but GET and HEAD)
/// gets one <c>Idempotency-Key</c> that all its attempts share, so the service runs it once however
/// many attempts reach it; then a 429 is retried after its <c>Retry-After</c>, a 5xx, a 409 that carries
/// <c>Retry-After</c> (the same key still running) and a network failure or time-out with backoff.
/// Conditional writes carry their <c>If-Match</c> unchanged, so a repeat of one that already landed is
/// a 412 rather than a second change. The answer's body is read here, inside the attempt, so an answer
/// cut off by a dying service is a failed attempt too.
/// </summary>
internal sealed class ResilientHandler(RetryPolicy policy, TextWriter log) : DelegatingHandler
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    /// <summary>How many attempts the last request took (a command that reads after a write asks).</summary>
    public int LastAttempts { get; private set; }

    /// <summary>
    /// The body of the last answer as the service sent it: commands print the service's JSON (its field
    /// order and formats) rather than the generated models written back out.
    /// </summary>
    public byte[] LastBody { get; private set; } = [];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Method != HttpMethod.Get && request.Method != HttpMethod.Head && !request.Headers.Contains(IdempotencyKeyHeader))
        {
            request.Headers.Add(IdempotencyKeyHeader, Guid.NewGuid().ToString());
        }

        if (request.Content is not null)
        {
            // Each attempt sends the same bytes again.
            await request.Content.LoadIntoBufferAsync(cancellationToken);
        }

        for (var attempt = 1; ; attempt++)
        {
            LastAttempts = attempt;
            HttpResponseMessage? response = null;
            string failure;
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(policy.AttemptTimeout);
                response = await base.SendAsync(request, timeout.Token);
                await response.Content.LoadIntoBufferAsync(timeout.Token);
                if (!IsRetryable(response))
                {
                    LastBody = await response.Content.ReadAsByteArrayAsync(timeout.Token);
                    return response;
                }

                failure = $"{(int)response.StatusCode} {response.ReasonPhrase}";
            }
            catch (HttpRequestException e)
            {
                failure = e.Message;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                failure = $"no answer within {policy.AttemptTimeout.TotalSeconds:0} s";
            }

            if (attempt > policy.Retries)
            {
                if (response is not null)
                {
                    return response;
                }

                throw new HttpRequestException($"{request.Method} {request.RequestUri?.AbsolutePath}: {failure}" + (attempt > 1 ? $" (after {attempt} attempts)." : "."));
            }

            var delay = RetryAfter(response) ?? policy.Backoff(attempt);
            response?.Dispose();
            await log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"tracker: {request.Method} {request.RequestUri?.AbsolutePath}: {failure}; retrying in {delay.TotalSeconds:0.#} s (attempt {attempt + 1} of {policy.Retries + 1})."));
            await Task.Delay(delay, cancellationToken);
        }
    }

    private static bool IsRetryable(HttpResponseMessage response) =>
        response.StatusCode == HttpStatusCode.TooManyRequests
        || (int)response.StatusCode >= 500
        || (response.StatusCode == HttpStatusCode.Conflict && response.Headers.RetryAfter is not null);

    private static TimeSpan? RetryAfter(HttpResponseMessage? response)
    {
        var header = response?.Headers.RetryAfter;
        var wait = header?.Delta ?? (header?.Date is { } date ? date - DateTimeOffset.UtcNow : null);
        return wait is { } w ? TimeSpan.FromTicks(Math.Clamp(w.Ticks, 0, TimeSpan.FromMinutes(2).Ticks)) : null;
    }
}
