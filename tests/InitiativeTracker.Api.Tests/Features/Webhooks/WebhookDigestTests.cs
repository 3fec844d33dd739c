using InitiativeTracker.Api.Tests.Features.CheckIns;

namespace InitiativeTracker.Api.Tests.Features.Webhooks;

/// <summary>report.overdue_digest: Monday 09:00 in the tracker's zone (Asia/Shanghai, UTC+8), once a week.</summary>
public sealed class WebhookDigestTests(WebhookFactory factory) : IClassFixture<WebhookFactory>
{
    private readonly HttpClient _client = factory.Admin();

    [Fact]
    public async Task SendsTheOverdueReportOnMondayAtNineLocalOnceAWeek()
    {
        // The clock starts on Tuesday 2026-03-10: this week's digest went out (to nobody) at the first scan.
        await factory.ScanAsync();
        var (inbox, _, _) = await _client.NewWebhookAsync(factory, "report.overdue_digest");
        var overdue = await _client.NewInitiativeAsync(deadline: "2026-03-05");
        await factory.ScanAsync();
        await factory.DispatchAsync();
        inbox.Received.Should().BeEmpty("this week's digest was already sent");

        factory.Clock.SetUtcNow(new DateTimeOffset(2026, 3, 16, 0, 59, 0, TimeSpan.Zero)); // Monday 08:59 in Shanghai
        await factory.ScanAsync();
        await factory.DispatchAsync();
        inbox.Received.Should().BeEmpty("it is not nine yet");

        factory.Clock.SetUtcNow(new DateTimeOffset(2026, 3, 16, 1, 0, 0, TimeSpan.Zero)); // Monday 09:00 in Shanghai
        await factory.ScanAsync();
        await factory.ScanAsync();
        await factory.DispatchAsync();

        var digest = inbox.Received.Should().ContainSingle().Subject;
        digest.Event.Should().Be("report.overdue_digest");
        var report = digest.Json["data"]!;
        report["asOf"]!.GetValue<string>().Should().Be("2026-03-16");
        report["timeZone"]!.GetValue<string>().Should().Be("Asia/Shanghai");
        report["totalCount"]!.GetValue<long>().Should().BeGreaterThanOrEqualTo(1);
        var row = report["items"]!.AsArray().Single(r => r!["initiativeId"]!.GetValue<long>() == overdue)!;
        row["daysOverdue"]!.GetValue<int>().Should().Be(11);

        factory.Clock.SetUtcNow(new DateTimeOffset(2026, 3, 18, 4, 0, 0, TimeSpan.Zero)); // Wednesday
        await factory.ScanAsync();
        factory.Clock.SetUtcNow(new DateTimeOffset(2026, 3, 23, 0, 59, 0, TimeSpan.Zero)); // next Monday 08:59
        await factory.ScanAsync();
        await factory.DispatchAsync();
        inbox.Received.Should().HaveCount(1, "one digest a week");

        factory.Clock.SetUtcNow(new DateTimeOffset(2026, 3, 23, 1, 0, 0, TimeSpan.Zero)); // next Monday 09:00
        await factory.ScanAsync();
        await factory.DispatchAsync();
        inbox.Received.Should().HaveCount(2);
        inbox.Received[1].Json["data"]!["asOf"]!.GetValue<string>().Should().Be("2026-03-23");
    }
}
