using System.Globalization;
using System.Net;
using InitiativeTracker.Api.Tests.Features.CheckIns;
using InitiativeTracker.Api.Tests.Infrastructure;

namespace InitiativeTracker.Api.Tests.Features.Webhooks;

/// <summary>The production loops, left running: nothing but the service itself sends or scans here.</summary>
public sealed class WebhookBackgroundTests(WebhookBackgroundTests.Factory factory) : IClassFixture<WebhookBackgroundTests.Factory>
{
    private readonly HttpClient _client = factory.Admin();

    public sealed class Factory() : WebhookFactory(new WebhookReceiver(), ownsReceiver: true, backgroundLoops: true);

    [Fact]
    public async Task SendsADeliveryAsSoonAsTheWriteThatQueuedItCommits()
    {
        var (inbox, webhookId, _) = await _client.NewWebhookAsync(factory, "check_in.created");
        var id = await _client.NewInitiativeAsync();

        await (await _client.CheckInAsync(id, new { progress = 10, health = "on_track" })).ShouldBe(HttpStatusCode.Created);

        await inbox.WaitForArrivalAsync();
        inbox.Received.Should().ContainSingle().Which.Event.Should().Be("check_in.created");
        (await _client.DeleteAsync($"/api/v1/webhooks/{webhookId}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task ScansOnEachTickOfTheClock()
    {
        var (inbox, webhookId, _) = await _client.NewWebhookAsync(factory, "initiative.overdue");
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(
            factory.Clock.GetUtcNow().UtcDateTime, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")));
        var id = await _client.NewInitiativeAsync(deadline: today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));

        // Due today is not overdue yet; a day later the next tick finds it.
        factory.Clock.Advance(TimeSpan.FromDays(1));

        await inbox.WaitForArrivalAsync();
        inbox.Received.Should().ContainSingle().Which.InitiativeId.Should().Be(id);
        (await _client.DeleteAsync($"/api/v1/webhooks/{webhookId}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
    }
}
