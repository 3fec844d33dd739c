using System.Globalization;
using System.Net;
using InitiativeTracker.Api.Tests.Features.CheckIns;
using InitiativeTracker.Api.Tests.Infrastructure;

namespace InitiativeTracker.Api.Tests.Features.Webhooks;

/// <summary>
/// initiative.overdue and initiative.due_soon: once per initiative and deadline, found by the scan.
/// The clock moves forward in this class, so each test reads "today" from it.
/// </summary>
public sealed class WebhookScanTests(WebhookFactory factory) : IClassFixture<WebhookFactory>
{
    private readonly HttpClient _client = factory.Admin();

    [Fact]
    public async Task FiresOverdueOncePerDeadlineAndAgainAfterTheDeadlineMovesAndPasses()
    {
        var (inbox, _, _) = await _client.NewWebhookAsync(factory, "initiative.overdue");
        var id = await _client.NewInitiativeAsync(deadline: Date(Today().AddDays(-1)));

        await factory.ScanAsync();
        await factory.ScanAsync();
        await factory.DispatchAsync();

        var first = Overdue(inbox, id).Should().ContainSingle().Subject;
        var initiative = first.Json["data"]!["initiative"]!;
        initiative["isOverdue"]!.GetValue<bool>().Should().BeTrue();
        initiative["daysOverdue"]!.GetValue<int>().Should().Be(1);

        var moved = Today().AddDays(2);
        await (await _client.PutJsonAsync($"/api/v1/initiatives/{id}/deadline", $$"""{"deadline":"{{Date(moved)}}","reason":"Partner delay"}""")).ShouldBe(HttpStatusCode.OK);
        await factory.ScanAsync();
        await factory.DispatchAsync();
        Overdue(inbox, id).Should().HaveCount(1, "the new deadline has not passed");

        factory.Clock.Advance(TimeSpan.FromDays(3));
        await factory.ScanAsync();
        await factory.ScanAsync();
        await factory.DispatchAsync();

        var overdue = Overdue(inbox, id);
        overdue.Should().HaveCount(2);
        overdue[1].Json["data"]!["initiative"]!["deadline"]!.GetValue<string>().Should().Be(Date(moved));
        overdue.Select(o => o.DeliveryId).Distinct().Should().HaveCount(2);
    }

    [Fact]
    public async Task FiresDueSoonOnceWhenTheDeadlineEntersTheWindow()
    {
        var (inbox, _, _) = await _client.NewWebhookAsync(factory, "initiative.due_soon");
        var deadline = Today().AddDays(10);
        var id = await _client.NewInitiativeAsync(deadline: Date(deadline));

        await factory.ScanAsync();
        await factory.DispatchAsync();
        DueSoon(inbox, id).Should().BeEmpty("ten days out is outside the seven-day window");

        factory.Clock.Advance(TimeSpan.FromDays(3));
        await factory.ScanAsync();
        await factory.ScanAsync();
        factory.Clock.Advance(TimeSpan.FromDays(1));
        await factory.ScanAsync();
        await factory.DispatchAsync();

        var dueSoon = DueSoon(inbox, id).Should().ContainSingle().Subject;
        dueSoon.Json["data"]!["initiative"]!["daysUntilDeadline"]!.GetValue<int>().Should().Be(7);

        // Moved out of the window and back into it: a new deadline, so it fires again.
        await (await _client.PutJsonAsync($"/api/v1/initiatives/{id}/deadline", $$"""{"deadline":"{{Date(deadline.AddDays(20))}}","reason":"Scope grew"}""")).ShouldBe(HttpStatusCode.OK);
        await factory.ScanAsync();
        factory.Clock.Advance(TimeSpan.FromDays(20));
        await factory.ScanAsync();
        await factory.DispatchAsync();
        DueSoon(inbox, id).Should().HaveCount(2);
    }

    [Fact]
    public async Task IgnoresClosedInitiatives()
    {
        var (inbox, _, _) = await _client.NewWebhookAsync(factory, "initiative.overdue", "initiative.due_soon");
        var yesterday = Date(Today().AddDays(-1));
        var open = await _client.NewInitiativeAsync(deadline: yesterday);
        var done = await _client.NewInitiativeAsync(deadline: yesterday);
        await (await _client.CheckInAsync(done, new { progress = 50, status = "in_progress", health = "on_track" })).ShouldBe(HttpStatusCode.Created);
        await (await _client.CheckInAsync(done, new { progress = 100, status = "done", health = "on_track" })).ShouldBe(HttpStatusCode.Created);
        var cancelled = await _client.NewInitiativeAsync(deadline: Date(Today().AddDays(1)));
        await (await _client.CheckInAsync(cancelled, new { progress = 0, status = "cancelled", health = "off_track" })).ShouldBe(HttpStatusCode.Created);

        await factory.ScanAsync();
        await factory.DispatchAsync();

        Overdue(inbox, open).Should().ContainSingle();
        inbox.Received.Where(r => r.InitiativeId == done || r.InitiativeId == cancelled).Should().BeEmpty();
    }

    [Fact]
    public async Task PrunesFinishedDeliveriesAfterTheRetentionPeriodButKeepsPendingOnes()
    {
        var (_, delivered, _) = await _client.NewWebhookAsync(factory, "initiative.created");
        var (pausedInbox, paused, _) = await _client.NewWebhookAsync(factory, "initiative.created");
        await _client.NewInitiativeAsync();
        await (await _client.PutJsonAsync($"/api/v1/webhooks/{paused}", $$"""{"url":"{{pausedInbox.Url}}","events":["initiative.created"],"active":false}"""))
            .ShouldBe(HttpStatusCode.OK);
        await factory.DispatchAsync();

        factory.Clock.Advance(TimeSpan.FromDays(29));
        await factory.ScanAsync();
        (await _client.DeliveriesAsync(delivered)).Should().ContainSingle("it is kept for 30 days");

        factory.Clock.Advance(TimeSpan.FromDays(2));
        await factory.ScanAsync();
        (await _client.DeliveriesAsync(delivered)).Should().BeEmpty();
        (await _client.DeliveriesAsync(paused)).Should().ContainSingle("a delivery still waiting to be sent is never pruned")
            .Which!["status"]!.GetValue<string>().Should().Be("pending");
    }

    private DateOnly Today() =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(factory.Clock.GetUtcNow().UtcDateTime, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")));

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static List<ReceivedDelivery> Overdue(Inbox inbox, long id) =>
        inbox.Received.Where(r => r.Event == "initiative.overdue" && r.InitiativeId == id).ToList();

    private static List<ReceivedDelivery> DueSoon(Inbox inbox, long id) =>
        inbox.Received.Where(r => r.Event == "initiative.due_soon" && r.InitiativeId == id).ToList();
}
