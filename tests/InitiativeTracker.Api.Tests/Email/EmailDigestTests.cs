using System.Net;
using InitiativeTracker.Api.Tests.Infrastructure;

namespace InitiativeTracker.Api.Tests.Email;

/// <summary>
/// The Monday digest of a subscription: what it lists against the overdue and upcoming reports of that
/// Monday, narrowed to the subscription's direction, the counts per direction, the CSV link, and its
/// one-click link, which deletes the subscription.
/// </summary>
[Trait("Category", "Email")]
public sealed class EmailDigestTests : IDisposable
{
    private static readonly DateOnly s_monday = new(2026, 3, 16);

    private readonly SmtpSink _sink = new();
    private readonly EmailFactory _factory;
    private readonly HttpClient _client;

    public EmailDigestTests()
    {
        _factory = new EmailFactory(_sink.Port);
        _client = _factory.Admin();
    }

    [Fact]
    public async Task ASubscriptionNarrowedToADirectionGetsThatDirectionsReportsOnMondayAndAnotherGetsEverything()
    {
        var owner = await _client.NewOwnerAsync("张伟", "zhang.wei@example.edu");
        await _client.NewInitiativeAsync(owner, "数字校园", "2026-03-02", directionId: 2);
        await _client.NewInitiativeAsync(owner, "Overdue in direction 2", "2026-03-12", directionId: 2);
        await _client.NewInitiativeAsync(owner, "Due soon in direction 2", "2026-03-25", directionId: 2);
        await _client.NewInitiativeAsync(owner, "Due later in direction 2", "2026-04-30", directionId: 2);
        await _client.NewInitiativeAsync(owner, "Overdue in direction 1", "2026-03-11", directionId: 1);
        await _client.NewInitiativeAsync(owner, "Overdue in direction 3", "2026-03-04", directionId: 3);
        var narrowed = await _client.IdOfAsync("/api/v1/email-subscriptions", new { email = "direction2@example.edu", name = "方向二", directionId = 2 });
        await _client.IdOfAsync("/api/v1/email-subscriptions", new { email = "all@example.edu" });

        // Tuesday to Sunday: no digest.
        _factory.At(s_monday.AddDays(-1), new TimeOnly(20, 0));
        await _factory.RunAsync();
        (await _client.OutboxAsync("&kind=digest")).Should().BeEmpty();

        _factory.At(s_monday, new TimeOnly(9, 0));
        await _factory.RunAsync();
        await _factory.DispatchAsync();
        var digests = _sink.Take().Where(m => m.Subject!.Contains("weekly digest", StringComparison.Ordinal)).ToDictionary(m => m.To.Mailboxes.Single().Address);
        digests.Keys.Should().BeEquivalentTo(["direction2@example.edu", "all@example.edu"]);

        var narrow = digests["direction2@example.edu"];
        narrow.Subject.Should().Be("InitiativeTracker weekly digest: 2 initiatives overdue (2026-03-16)");
        narrow.Text().Should().StartWith("Dear 方向二,");
        var sections = narrow.Sections();
        sections["The 50 most overdue"].Should().Equal(await TitlesAsync("/api/v1/reports/overdue?directionId=2&asOf=2026-03-16"))
            .And.Equal("数字校园", "Overdue in direction 2");
        sections["Due in the next 14 days"].Should().Equal(await TitlesAsync("/api/v1/reports/upcoming?directionId=2&asOf=2026-03-16&withinDays=14"))
            .And.Equal("Due soon in direction 2");
        narrow.Text().Should().Contain($"{EmailFactory.PublicUrl}/api/v1/reports/overdue?format=csv&directionId=2");

        var all = digests["all@example.edu"];
        all.Sections()["The 50 most overdue"].Should().Equal(await TitlesAsync("/api/v1/reports/overdue?asOf=2026-03-16"))
            .And.HaveCount(4);
        // Overdue per direction, as the report grouped by direction counts them.
        var groups = (await (await _client.GetAsync("/api/v1/reports/overdue?asOf=2026-03-16&groupBy=direction")).ShouldBe(HttpStatusCode.OK))["groups"]!.AsArray();
        foreach (var group in groups)
        {
            all.Text().Should().Contain($"  {group!["count"]}  {group["groupName"]}");
        }

        all.Html().Should().Contain("<h2 style=\"margin:8px 0;font-size:16px;color:#102a43;\">Overdue per direction</h2>");

        // The narrowed subscription's one-click link deletes it, and only it.
        var path = new Uri(narrow.Headers["List-Unsubscribe"]!.Trim('<', '>')).AbsolutePath;
        path.Should().StartWith($"/api/v1/email/unsubscribe/s{narrowed}.");
        (await _factory.Anonymous().PostAsync(path, new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]))).StatusCode
            .Should().Be(HttpStatusCode.NoContent);
        await (await _client.GetAsync($"/api/v1/email-subscriptions/{narrowed}")).ShouldBeProblem(HttpStatusCode.NotFound);
        (await (await _client.GetAsync("/api/v1/email-subscriptions")).ShouldBe(HttpStatusCode.OK))["items"]!.AsArray()
            .Select(s => s!["email"]!.GetValue<string>()).Should().Equal("all@example.edu");

        // The next Monday only the remaining subscription gets one.
        _factory.At(s_monday.AddDays(7), new TimeOnly(9, 30));
        await _factory.RunAsync();
        await _factory.DispatchAsync();
        _sink.Take().Where(m => m.Subject!.Contains("weekly digest", StringComparison.Ordinal)).Select(m => m.To.Mailboxes.Single().Address)
            .Should().Equal("all@example.edu");
    }

    public void Dispose()
    {
        _factory.Dispose();
        _sink.Dispose();
    }

    private async Task<List<string>> TitlesAsync(string url)
    {
        var report = await (await _client.GetAsync(url + "&pageSize=50")).ShouldBe(HttpStatusCode.OK);
        return report["items"]!.AsArray().Select(r => r!["title"]!.GetValue<string>()).ToList();
    }
}
