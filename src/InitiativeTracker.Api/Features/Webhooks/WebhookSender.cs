using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace InitiativeTracker.Api.Features.Webhooks;

/// <summary>A queued delivery, claimed for sending, with what sending it takes.</summary>
internal sealed record DeliveryAttempt(long Id, string DeliveryId, string Event, long Attempts, string Url, string Secret, string Body);

/// <summary>How one attempt went: delivered on a 2xx; otherwise the status the receiver answered and/or a short reason.</summary>
internal sealed record DeliveryOutcome(bool Delivered, int? StatusCode, string? Error);

/// <summary>
/// POSTs deliveries: the envelope as JSON, with <c>Tracker-Event</c>, <c>Tracker-Delivery</c> and
/// <c>Tracker-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256 of "&lt;t&gt;.&lt;body&gt;"&gt;</c>. A 2xx
/// within <see cref="Timeout"/> is delivered; anything else is a failure to retry. Redirects are not
/// followed and no proxy is used, and every connection is checked against
/// <see cref="WebhookAddressPolicy"/> at the address actually dialled.
/// </summary>
internal sealed class WebhookSender : IDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private const int MaxErrorLength = 300;

    private readonly WebhookAddressPolicy _policy;
    private readonly TimeProvider _time;

    /// <summary>Made on the first delivery: most installs never send one, and an idle client still costs memory.</summary>
    private readonly Lazy<HttpClient> _client;

    public WebhookSender(WebhookAddressPolicy policy, TimeProvider time)
    {
        _policy = policy;
        _time = time;
        _client = new Lazy<HttpClient>(CreateClient);
    }

    private HttpClient CreateClient()
    {
        var client = new HttpClient(new SocketsHttpHandler
        {
            // A redirect could lead anywhere, a private address included: a 3xx is a failed attempt.
            AllowAutoRedirect = false,
            // Through a proxy the connect callback would vet the proxy, not the receiver.
            UseProxy = false,
            ConnectCallback = ConnectAsync,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            // URL credentials are refused when a webhook is written; never send any.
            Credentials = null,
        })
        {
            // The per-attempt limit is a token from the injected TimeProvider (see SendAsync).
            Timeout = System.Threading.Timeout.InfiniteTimeSpan,
        };
        client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("InitiativeTracker-Webhooks", "1.0"));
        return client;
    }

    public async Task<DeliveryOutcome> SendAsync(DeliveryAttempt attempt, CancellationToken ct)
    {
        if (WebhookAddressPolicy.FormRefusal(attempt.Url) is { } refusal)
        {
            return new DeliveryOutcome(false, null, Shorten($"Refused: {refusal}"));
        }

        var body = Encoding.UTF8.GetBytes(attempt.Body);
        var timestamp = _time.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, attempt.Url)
        {
            Content = new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
        };
        request.Headers.Add("Tracker-Event", attempt.Event);
        request.Headers.Add("Tracker-Delivery", attempt.DeliveryId);
        request.Headers.Add("Tracker-Signature", Signature(attempt.Secret, timestamp, body));

        using var timeout = new CancellationTokenSource(Timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        try
        {
            using var response = await _client.Value.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            var status = (int)response.StatusCode;
            return response.IsSuccessStatusCode
                ? new DeliveryOutcome(true, status, null)
                : new DeliveryOutcome(false, status, $"The receiver answered {status} {ReasonPhrases.GetReasonPhrase(status)}".TrimEnd() + ".");
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            return new DeliveryOutcome(false, null, $"No answer within {Timeout.TotalSeconds:0} s.");
        }
        catch (HttpRequestException e)
        {
            return new DeliveryOutcome(false, null, Describe(e));
        }
    }

    /// <summary><c>t=&lt;t&gt;,v1=&lt;hex HMAC-SHA256 of "&lt;t&gt;.&lt;body&gt;" under the secret&gt;</c>.</summary>
    public static string Signature(string secret, long timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes(FormattableString.Invariant($"{timestamp}."));
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed);
        return FormattableString.Invariant($"t={timestamp},v1={Convert.ToHexStringLower(mac)}");
    }

    public void Dispose()
    {
        if (_client.IsValueCreated)
        {
            _client.Value.Dispose();
        }
    }

    /// <summary>
    /// Resolves the host itself and dials only addresses the policy allows, so the address checked is
    /// the address connected to: a name that resolved to a public address when the webhook was saved
    /// and to a private one now (DNS rebinding) is refused here.
    /// </summary>
    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, ct);
        if (!_policy.IsAllowedHost(host) && WebhookAddressPolicy.AddressRefusal(host, addresses) is { } refusal)
        {
            throw new WebhookAddressRefusedException(refusal);
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>One short line saying why: no stack trace, no inner exception chain.</summary>
    private static string Describe(HttpRequestException e)
    {
        if (e.InnerException is WebhookAddressRefusedException refused)
        {
            return Shorten($"Refused: {refused.Message}");
        }

        var cause = e.InnerException switch
        {
            SocketException socket => socket.Message,
            IOException io => io.Message,
            _ => e.Message,
        };
        return Shorten(e.HttpRequestError switch
        {
            HttpRequestError.NameResolutionError => $"The host could not be resolved: {cause}",
            HttpRequestError.ConnectionError => $"Could not connect: {cause}",
            HttpRequestError.SecureConnectionError => $"TLS failed: {cause}",
            _ => $"The request failed: {cause}",
        });
    }

    private static string Shorten(string text)
    {
        var line = text.ReplaceLineEndings(" ");
        return line.Length <= MaxErrorLength ? line : line[..(MaxErrorLength - 1)] + "…";
    }
}

/// <summary>A connection the address policy refused; it surfaces as the attempt's error.</summary>
internal sealed class WebhookAddressRefusedException(string message) : Exception(message);
