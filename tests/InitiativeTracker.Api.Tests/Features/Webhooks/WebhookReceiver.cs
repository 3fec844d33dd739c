using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace InitiativeTracker.Api.Tests.Features.Webhooks;

/// <summary>
/// A real HTTP receiver on 127.0.0.1 (Kestrel, port 0) that webhooks deliver to. Each test takes an
/// <see cref="Inbox"/> of its own (its own path), which records what arrives and can be told to fail.
/// </summary>
public sealed class WebhookReceiver : IDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, Inbox> _inboxes = new();

    public WebhookReceiver()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapPost("/hooks/{name}", (string name, HttpContext context) =>
            _inboxes.TryGetValue(name, out var inbox) ? inbox.ReceiveAsync(context) : Task.FromResult(Results.NotFound()));
        _app.Start();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        Port = new Uri(address).Port;
    }

    public int Port { get; }

    /// <summary>A new path on this receiver: <c>http://127.0.0.1:{port}/hooks/{name}</c>.</summary>
    public Inbox NewInbox(string host = "127.0.0.1")
    {
        var name = Guid.NewGuid().ToString("N");
        var inbox = new Inbox($"http://{host}:{Port}/hooks/{name}");
        _inboxes[name] = inbox;
        return inbox;
    }

    public void Dispose()
    {
        _app.StopAsync().GetAwaiter().GetResult();
        ((IDisposable)_app).Dispose();
    }
}

/// <summary>One receiving URL: what was delivered to it, and how it answers.</summary>
public sealed class Inbox(string url)
{
    private readonly ConcurrentQueue<ReceivedDelivery> _received = new();
    private readonly ConcurrentQueue<int> _answers = new();
    private readonly SemaphoreSlim _arrivals = new(0);
    private TaskCompletionSource? _hold;

    public string Url { get; } = url;

    public IReadOnlyList<ReceivedDelivery> Received => [.. _received];

    /// <summary>The next requests are answered with these statuses, in order; 200 after them.</summary>
    public void AnswerWith(params int[] statuses)
    {
        foreach (var status in statuses)
        {
            _answers.Enqueue(status);
        }
    }

    /// <summary>The next request gets no answer until <see cref="Release"/> (or the sender gives up).</summary>
    public void HoldNext() => _hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release() => _hold?.TrySetResult();

    /// <summary>Waits (real time, bounded) until a request has arrived: for sends started in the background.</summary>
    public async Task WaitForArrivalAsync()
    {
        if (!await _arrivals.WaitAsync(TimeSpan.FromSeconds(15)))
        {
            throw new TimeoutException($"Nothing arrived at {Url}.");
        }
    }

    internal async Task<IResult> ReceiveAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        _received.Enqueue(new ReceivedDelivery(
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            context.Request.ContentType,
            body));
        _arrivals.Release();
        if (Interlocked.Exchange(ref _hold, null) is { } hold)
        {
            await hold.Task.WaitAsync(context.RequestAborted);
        }

        return Results.StatusCode(_answers.TryDequeue(out var status) ? status : 200);
    }
}

/// <summary>One request as the receiver saw it.</summary>
public sealed record ReceivedDelivery(IReadOnlyDictionary<string, string> Headers, string? ContentType, string Body)
{
    public JsonNode Json => JsonNode.Parse(Body)!;

    public string Event => Headers["Tracker-Event"];

    public string DeliveryId => Headers["Tracker-Delivery"];

    public string Signature => Headers["Tracker-Signature"];

    /// <summary>The initiative the event is about, when it is about one.</summary>
    public long? InitiativeId => Json["data"]?["initiative"]?["id"]?.GetValue<long>();
}
