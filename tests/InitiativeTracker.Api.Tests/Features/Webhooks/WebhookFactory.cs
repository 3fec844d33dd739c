using System.Net;
using System.Text.Json.Nodes;
using InitiativeTracker.Api.Features.Webhooks;
using InitiativeTracker.Api.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace InitiativeTracker.Api.Tests.Features.Webhooks;

/// <summary>
/// The tracker with a loopback <see cref="WebhookReceiver"/> it may deliver to (127.0.0.1 is listed in
/// <c>Tracker:Webhooks:AllowedHosts</c>). Tests drive the dispatcher and the scan with
/// <see cref="DispatchAsync"/>, <see cref="ScanAsync"/> and the fake clock. The background loops that
/// do the same in production are left out unless a test class asks for them: a send they started
/// would time out the moment a test advanced the fake clock past its 10 s limit.
/// </summary>
public class WebhookFactory : TrackerFactory
{
    private readonly bool _ownsReceiver;
    private readonly bool _backgroundLoops;

    public WebhookFactory()
        : this(new WebhookReceiver(), ownsReceiver: true, backgroundLoops: false)
    {
    }

    /// <summary>A host whose receiver may outlive it (to restart the service in a test), with or without the background loops.</summary>
    protected WebhookFactory(WebhookReceiver receiver, bool ownsReceiver, bool backgroundLoops)
    {
        Receiver = receiver;
        _ownsReceiver = ownsReceiver;
        _backgroundLoops = backgroundLoops;
    }

    public WebhookReceiver Receiver { get; }

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Tracker:Webhooks:AllowedHosts:0"] = "127.0.0.1",
    };

    protected override bool BackgroundLoops => _backgroundLoops;

    /// <summary>Sends every delivery due now (after any pass already running), and returns how many attempts it made.</summary>
    public Task<int> DispatchAsync() => Services.GetRequiredService<WebhookDispatcher>().DispatchDueAsync(CancellationToken.None);

    /// <summary>Runs the deadline scan once (after any scan already running).</summary>
    public Task ScanAsync() => Services.GetRequiredService<WebhookScanner>().ScanAsync(CancellationToken.None);

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && _ownsReceiver)
        {
            Receiver.Dispose();
        }
    }
}

public static class WebhookSteps
{
    /// <summary>A new webhook posting <paramref name="events"/> to a new inbox; the created body (with its secret).</summary>
    public static async Task<(Inbox Inbox, long Id, string Secret)> NewWebhookAsync(this HttpClient client, WebhookFactory factory, params string[] events)
    {
        var inbox = factory.Receiver.NewInbox();
        var created = await client.CreateAsync("/api/v1/webhooks", new { url = inbox.Url, events });
        return (inbox, created["id"]!.GetValue<long>(), created["secret"]!.GetValue<string>());
    }

    public static async Task<JsonArray> DeliveriesAsync(this HttpClient client, long webhookId)
    {
        var page = await (await client.GetAsync($"/api/v1/webhooks/{webhookId}/deliveries?pageSize=200")).ShouldBe(HttpStatusCode.OK);
        return page["items"]!.AsArray();
    }

    public static async Task<JsonNode> SingleDeliveryAsync(this HttpClient client, long webhookId)
    {
        var deliveries = await client.DeliveriesAsync(webhookId);
        deliveries.Should().ContainSingle();
        return deliveries[0]!;
    }
}
