using System.Text.Json;
using InitiativeTracker.Cli.Configuration;
using InitiativeTracker.Client;
using InitiativeTracker.Client.Models;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Serialization;
using Microsoft.Kiota.Http.HttpClientLibrary;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware;

namespace InitiativeTracker.Cli.Http;

/// <summary>
/// One command's connection: the generated client over an HttpClient whose pipeline is Kiota's own
/// handlers, with <see cref="ResilientHandler"/> in place of Kiota's retry handler (which retries
/// neither network failures nor a 500, and knows nothing of idempotency keys), and outside it
/// <see cref="PlainErrorHandler"/>, so an error page that is not JSON still reads as a problem.
/// </summary>
internal sealed class TrackerSession : IDisposable
{
    /// <summary>The problem types the service answers with, for requests this class sends itself.</summary>
    private static readonly Dictionary<string, ParsableFactory<IParsable>> s_problems = new()
    {
        ["400"] = HttpValidationProblemDetails.CreateFromDiscriminatorValue,
        ["4XX"] = ProblemDetails.CreateFromDiscriminatorValue,
        ["5XX"] = ProblemDetails.CreateFromDiscriminatorValue,
    };

    private readonly HttpClient _http;
    private readonly HttpClientRequestAdapter _adapter;

    public TrackerSession(TrackerSettings settings, RetryPolicy policy, TextWriter log)
    {
        Resilience = new ResilientHandler(policy, log);
        var handlers = KiotaClientFactory.CreateDefaultHandlers().Where(h => h is not RetryHandler)
            .Prepend(Resilience).Prepend(new PlainErrorHandler()).ToArray();
        var pipeline = KiotaClientFactory.ChainHandlersCollectionAndGetFirstLink(KiotaClientFactory.GetDefaultHttpMessageHandler(), handlers)!;
        _http = new HttpClient(pipeline)
        {
            BaseAddress = settings.Url,
            // Each attempt has its own limit (RetryPolicy.AttemptTimeout); the retries as a whole have none.
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _adapter = TrackerClients.CreateAdapter(_http, settings.ApiKey);
        Api = new TrackerApiClient(_adapter);
    }

    public TrackerApiClient Api { get; }

    public ResilientHandler Resilience { get; }

    /// <summary>Sends a request built by a generated builder and altered by the caller (another body or Accept).</summary>
    public Task<T?> SendAsync<T>(RequestInformation request, ParsableFactory<T> factory, CancellationToken cancellationToken)
        where T : IParsable =>
        _adapter.SendAsync(request, factory, s_problems, cancellationToken);

    /// <summary>Sends a request and hands back its body as it came (a report's CSV).</summary>
    public Task<Stream?> SendForStreamAsync(RequestInformation request, CancellationToken cancellationToken) =>
        _adapter.SendPrimitiveAsync<Stream>(request, s_problems, cancellationToken);

    /// <summary>The last answer's JSON body, as the service wrote it.</summary>
    public JsonElement LastJson()
    {
        using var document = JsonDocument.Parse(Resilience.LastBody);
        return document.RootElement.Clone();
    }

    public void Dispose() => _http.Dispose();
}
