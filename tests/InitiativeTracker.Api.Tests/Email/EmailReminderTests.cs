using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using InitiativeTracker.Api.Tests.Infrastructure;
using MimeKit;

namespace InitiativeTracker.Api.Tests.Email;

/// <summary>
/// An owner's daily reminder as it arrives at a real SMTP server: its envelope and headers, both parts,
/// and the initiatives it lists, checked against the overdue and upcoming reports of that day.
/// </summary>
[Trait("Category", "Email")]
public sealed class EmailReminderTests : IDisposable
{
    private static readonly DateOnly s_tuesday = new(2026, 3, 10);

    private readonly SmtpSink _sink = new();
    private readonly EmailFactory _factory;
    private readonly HttpClient _client;

    public EmailReminderTests()
    {
        _factory = new EmailFactory(_sink.Port);
        _client = _factory.Admin();
    }

    [Fact]
    public async Task AnOwnerGetsOneMultipartUtf8ReminderListingWhatTheReportsOfThatDayList()
    {
        var owner = await _client.NewOwnerAsync("张伟", "zhang.wei@example.edu");
        await _client.NewInitiativeAsync(owner, "数字校园", "2026-03-17");
        await _client.NewInitiativeAsync(owner, "丝路创新中心", "2026-03-11");
        await _client.NewInitiativeAsync(owner, "Due in three days", "2026-03-13");
        await _client.NewInitiativeAsync(owner, "Overdue since yesterday's deadline", "2026-03-09");
        await _client.NewInitiativeAsync(owner, "Overdue for five days", "2026-03-05");
        var other = await _client.NewOwnerAsync("Li Na", "li.na@example.edu");
        await _client.NewInitiativeAsync(other, "Somebody else's", "2026-03-20");

        _factory.At(s_tuesday, new TimeOnly(10, 30));
        await _factory.RunAsync();
        await _factory.DispatchAsync();

        var message = _sink.Take().Should().ContainSingle().Which;
        message.From.Mailboxes.Should().ContainSingle().Which.Address.Should().Be(EmailFactory.From);
        message.To.Mailboxes.Select(m => m.Address).Should().Equal("zhang.wei@example.edu");
        message.To.Mailboxes.Single().Name.Should().BeNullOrEmpty();
        message.Subject.Should().Be("InitiativeTracker: 3 initiatives need your attention (2026-03-10)");

        var body = message.Body.Should().BeOfType<MultipartAlternative>().Subject;
        body.OfType<TextPart>().Select(p => (p.ContentType.MimeType, p.ContentType.Charset))
            .Should().Equal(("text/plain", "utf-8"), ("text/html", "utf-8"));
        message.Text().Should().Contain("Dear 张伟,").And.Contain("数字校园").And.Contain("丝路创新中心");
        message.Html().Should().Contain("Dear 张伟,").And.Contain("<strong>数字校园</strong>").And.NotContain("&#x5F20;", "Chinese stays text, not character references");

        // The lists are the reports' rows of that day that the rules pick, in the reports' order.
        var overdue = await ReportTitlesAsync($"/api/v1/reports/overdue?ownerId={owner}&asOf=2026-03-10", r => r["daysOverdue"]!.GetValue<int>() == 1);
        var upcoming = await ReportTitlesAsync($"/api/v1/reports/upcoming?ownerId={owner}&asOf=2026-03-10&withinDays=7",
            r => r["daysUntilDeadline"]!.GetValue<int>() is 7 or 1);
        var sections = message.Sections();
        sections.Keys.Should().Equal("Overdue since today", "Due soon");
        sections["Overdue since today"].Should().Equal(overdue).And.Equal("Overdue since yesterday's deadline");
        sections["Due soon"].Should().Equal(upcoming).And.Equal("丝路创新中心", "数字校园");
        message.Text().Should().Contain("Deadline 2026-03-17, due in 7 days.").And.Contain("Deadline 2026-03-09, overdue by 1 day.");

        message.Text().Should().Contain($"Dashboard: {EmailFactory.PublicUrl}/")
            .And.Contain($"{EmailFactory.PublicUrl}/api/v1/reports/overdue?format=csv&ownerId={owner}");
        message.Html().Should().Contain($"href=\"{EmailFactory.PublicUrl}/\"")
            .And.Contain($"href=\"{EmailFactory.PublicUrl}/api/v1/reports/overdue?format=csv&amp;ownerId={owner}\"");

        message.Headers["List-Unsubscribe"].Should().StartWith($"<{EmailFactory.PublicUrl}/api/v1/email/unsubscribe/o{owner}.").And.EndWith(">");
        message.Headers["List-Unsubscribe-Post"].Should().Be("List-Unsubscribe=One-Click");
        message.MessageId.Should().EndWith("@tracker.example.edu");

        var entry = (await _client.OutboxAsync()).Should().ContainSingle().Subject!;
        entry["kind"]!.GetValue<string>().Should().Be("reminder");
        entry["status"]!.GetValue<string>().Should().Be("sent");
        entry["ownerId"]!.GetValue<long>().Should().Be(owner);
        entry["period"]!.GetValue<string>().Should().Be("2026-03-10");
        entry["recipient"]!.GetValue<string>().Should().Be("zhang.wei@example.edu");
        entry["attempts"]!.GetValue<int>().Should().Be(1);
        entry["lastError"].Should().BeNull();
    }

    [Fact]
    public async Task NothingToSayMeansNoEmailAndNothingBeforeSendAt()
    {
        var owner = await _client.NewOwnerAsync("王芳", "wang.fang@example.edu");
        await _client.NewInitiativeAsync(owner, "Due in three days", "2026-03-14");

        _factory.At(s_tuesday.AddDays(1), new TimeOnly(8, 59));
        await _factory.RunAsync();
        _factory.At(s_tuesday.AddDays(1), new TimeOnly(9, 0));
        await _factory.RunAsync();
        await _factory.DispatchAsync();

        (await _client.OutboxAsync()).Should().BeEmpty();
        _sink.Received.Should().BeEmpty();

        // Due in one day on Friday the 13th: before 09:00 nothing, at 09:00 the reminder.
        _factory.At(new DateOnly(2026, 3, 13), new TimeOnly(8, 59, 59));
        await _factory.RunAsync();
        (await _client.OutboxAsync()).Should().BeEmpty();
        _factory.At(new DateOnly(2026, 3, 13), new TimeOnly(9, 0));
        await _factory.RunAsync();
        await _factory.DispatchAsync();
        _sink.Take().Should().ContainSingle().Which.Sections()["Due soon"].Should().Equal("Due in three days");
    }

    [Fact]
    public async Task ListsInitiativesWithoutACheckInForStaleAfterDaysAndNotThoseReportedOn()
    {
        var owner = await _client.NewOwnerAsync("赵敏", "zhao.min@example.edu");
        await _client.NewInitiativeAsync(owner, "Quiet since it was created", "2026-12-31");
        var reported = await _client.NewInitiativeAsync(owner, "Reported on last week", "2026-12-31");

        _factory.At(new DateOnly(2026, 3, 20), new TimeOnly(12, 0));
        await (await _client.PostAsJsonAsync($"/api/v1/initiatives/{reported}/check-ins", new { progress = 30, health = "on_track" }))
            .ShouldBe(HttpStatusCode.Created);

        // Created on 03-10, no check-in since: stale from 03-25 (14 whole days later), not on 03-24.
        _factory.At(new DateOnly(2026, 3, 24), new TimeOnly(9, 30));
        await _factory.RunAsync();
        (await _client.OutboxAsync()).Should().BeEmpty();
        _factory.At(new DateOnly(2026, 3, 25), new TimeOnly(9, 30));
        await _factory.RunAsync();
        await _factory.DispatchAsync();

        var message = _sink.Take().Should().ContainSingle().Subject;
        message.Sections().Should().ContainSingle().Which.Should().BeEquivalentTo(
            new KeyValuePair<string, List<string>>("Waiting for a check-in", ["Quiet since it was created"]));
        message.Text().Should().Contain("Last check-in: never.");
    }

    [Fact]
    public async Task TheOneClickLinkTurnsTheOwnersRemindersOffWithoutAKeyAndAForgedOneChangesNothing()
    {
        var owner = await _client.NewOwnerAsync("陈杰", "chen.jie@example.edu");
        var bystander = await _client.NewOwnerAsync("Bystander", "bystander@example.edu");
        await _client.NewInitiativeAsync(owner, "数字校园", "2026-03-17");
        await _client.NewInitiativeAsync(bystander, "Theirs", "2026-03-17");
        await _factory.RunAsync();
        await _factory.DispatchAsync();
        var link = _sink.Take().Single(m => m.To.Mailboxes.Single().Address == "chen.jie@example.edu").Headers["List-Unsubscribe"]!.Trim('<', '>');
        var path = new Uri(link).AbsolutePath;
        var token = path[(path.LastIndexOf('/') + 1)..];
        var mac = token[(token.IndexOf('.') + 1)..];
        var anonymous = _factory.Anonymous();

        // Forged: the bystander's id under this owner's MAC; a MAC with one character changed; a cut one; garbage.
        var flipped = mac[..^1] + (mac[^1] == 'A' ? 'B' : 'A');
        foreach (var forged in new[] { $"o{bystander}.{mac}", $"o{owner}.{flipped}", $"o{owner}.{mac[..10]}", $"s{owner}.{mac}", "o1", "anything" })
        {
            var before = await _factory.SnapshotAsync();
            var problem = await (await anonymous.PostAsync($"/api/v1/email/unsubscribe/{forged}", OneClick())).ShouldBeProblem(HttpStatusCode.NotFound);
            problem["type"]!.GetValue<string>().Should().Be("https://initiative-tracker.example/problems/unsubscribe-link-invalid");
            (await _factory.SnapshotAsync()).Should().Be(before, "a forged link ({0}) changes nothing", forged);
        }

        // Only a POST unsubscribes: a link checker's GET does not.
        (await anonymous.GetAsync(path)).StatusCode.Should().Be(HttpStatusCode.MethodNotAllowed);
        (await OwnerAsync(owner))["emailReminders"]!.GetValue<bool>().Should().BeTrue();

        (await anonymous.PostAsync(path, OneClick())).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await anonymous.PostAsync(path, OneClick())).StatusCode.Should().Be(HttpStatusCode.NoContent);

        (await OwnerAsync(owner))["emailReminders"]!.GetValue<bool>().Should().BeFalse();
        (await OwnerAsync(bystander))["emailReminders"]!.GetValue<bool>().Should().BeTrue();

        // Due in one day on 03-16: the bystander is reminded, the owner who unsubscribed is not.
        _factory.At(new DateOnly(2026, 3, 16), new TimeOnly(9, 30));
        await _factory.RunAsync();
        await _factory.DispatchAsync();
        _sink.Take().SelectMany(m => m.To.Mailboxes).Select(m => m.Address).Should().Equal("bystander@example.edu");
    }

    public void Dispose()
    {
        _factory.Dispose();
        _sink.Dispose();
    }

    private static FormUrlEncodedContent OneClick() => new([new("List-Unsubscribe", "One-Click")]);

    private async Task<JsonNode> OwnerAsync(long id) => await (await _client.GetAsync($"/api/v1/owners/{id}")).ShouldBe(HttpStatusCode.OK);

    private async Task<List<string>> ReportTitlesAsync(string url, Func<JsonNode, bool> picked)
    {
        var report = await (await _client.GetAsync(url + "&pageSize=200")).ShouldBe(HttpStatusCode.OK);
        return report["items"]!.AsArray().Where(r => picked(r!)).Select(r => r!["title"]!.GetValue<string>()).ToList();
    }
}
