using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using InitiativeTracker.Api.Tests.Infrastructure;

namespace InitiativeTracker.Api.Tests.Email;

/// <summary>
/// An SMTP server that refuses, stalls or drops the connection mid-message: each attempt fails, the email is
/// retried after the backoff (60 s, then 300 s), and after the last attempt it is failed with the server's
/// last answer. A retry sends the same message under the same Message-ID.
/// </summary>
[Trait("Category", "Email")]
public sealed class EmailFaultTests : IDisposable
{
    private readonly SmtpSink _sink = new();
    private readonly DroppingSmtpServer _dropping = new();
    private readonly List<IDisposable> _factories = [];

    [Fact]
    public async Task ARefusalIsRetriedWithBackoffThenFailedWithTheServersAnswer()
    {
        _sink.Behaviour = SinkBehaviour.Refuse;
        var factory = Factory(_sink.Port);
        var entry = await QueueTestAsync(factory);

        var final = await AttemptAllAsync(factory, entry);

        final["lastError"]!.GetValue<string>().Should().Be($"554 {SmtpSink.RefusalText}");
        _sink.Attempts.Should().HaveCount(EmailFactory.MaxAttempts);
        _sink.Received.Should().BeEmpty();
        _sink.Attempts.Select(m => m.MessageId).Distinct().Should().ContainSingle("every attempt sends the same message");
    }

    [Fact]
    public async Task AServerThatDoesNotAnswerTimesOutAndIsRetriedThenFailed()
    {
        _sink.Behaviour = SinkBehaviour.Stall;
        var factory = Factory(_sink.Port);
        var entry = await QueueTestAsync(factory);

        var final = await AttemptAllAsync(factory, entry);

        final["lastError"]!.GetValue<string>().Should().StartWith("Timed out");
        _sink.Received.Should().BeEmpty();
    }

    [Fact]
    public async Task AConnectionDroppedMidMessageIsRetriedThenFailed()
    {
        var factory = Factory(_dropping.Port);
        var entry = await QueueTestAsync(factory);

        var final = await AttemptAllAsync(factory, entry);

        final["lastError"]!.GetValue<string>().Should().Contain("disconnected");
        _dropping.Drops.Should().Be(EmailFactory.MaxAttempts);
    }

    [Fact]
    public async Task ARetryAfterARefusalDeliversTheSameMessageUnderTheSameMessageId()
    {
        _sink.Behaviour = SinkBehaviour.Refuse;
        var factory = Factory(_sink.Port);
        var client = factory.Admin();
        var owner = await client.NewOwnerAsync("张伟", "zhang.wei@example.edu");
        await client.NewInitiativeAsync(owner, "数字校园", "2026-03-17");
        await factory.RunAsync();
        (await factory.DispatchAsync()).Should().Be(1);
        var refused = _sink.Attempts.Should().ContainSingle().Subject;

        _sink.Behaviour = SinkBehaviour.Accept;
        (await factory.DispatchAsync()).Should().Be(0, "the retry waits for its backoff");
        factory.Clock.Advance(TimeSpan.FromSeconds(EmailFactory.RetryBaseSeconds));
        (await factory.DispatchAsync()).Should().Be(1);

        var delivered = _sink.Take().Should().ContainSingle().Subject;
        delivered.MessageId.Should().Be(refused.MessageId);
        delivered.Subject.Should().Be(refused.Subject);
        delivered.Text().Should().Be(refused.Text());
        delivered.Html().Should().Be(refused.Html());
        var entry = (await client.OutboxAsync()).Should().ContainSingle().Subject!;
        entry["status"]!.GetValue<string>().Should().Be("sent");
        entry["attempts"]!.GetValue<int>().Should().Be(2);
        entry["lastError"].Should().BeNull();
        (await factory.DispatchAsync()).Should().Be(0, "a sent email is never sent again");
    }

    [Fact]
    public async Task TheTestEndpointQueuesATestMessageAndRefusesABadAddress()
    {
        var factory = Factory(_sink.Port);
        var client = factory.Admin();

        var before = await factory.SnapshotAsync();
        await (await client.PostAsJsonAsync("/api/v1/email/test", new { email = "Ops <ops@example.edu>" })).ShouldBeProblem(HttpStatusCode.BadRequest, "email");
        await (await client.PostAsJsonAsync("/api/v1/email/test", new { email = "ops@@example.edu" })).ShouldBeProblem(HttpStatusCode.BadRequest, "email");
        (await factory.SnapshotAsync()).Should().Be(before);

        var entry = await QueueTestAsync(factory);
        await factory.DispatchAsync();

        var message = _sink.Take().Should().ContainSingle().Subject;
        message.To.Mailboxes.Single().Address.Should().Be("ops@example.edu");
        message.Subject.Should().Be("InitiativeTracker: a test message");
        message.Text().Should().Contain("its SMTP settings work");
        message.Headers["List-Unsubscribe"].Should().BeNull("a test message is nobody's subscription");
        var sent = await (await client.GetAsync($"/api/v1/email/outbox/{entry["id"]}")).ShouldBe(HttpStatusCode.OK);
        sent["status"]!.GetValue<string>().Should().Be("sent");
        sent["kind"]!.GetValue<string>().Should().Be("test");
    }

    public void Dispose()
    {
        foreach (var factory in _factories)
        {
            factory.Dispose();
        }

        _sink.Dispose();
        _dropping.Dispose();
    }

    private EmailFactory Factory(int port)
    {
        var factory = new EmailFactory(port);
        _factories.Add(factory);
        return factory;
    }

    private static async Task<JsonNode> QueueTestAsync(EmailFactory factory)
    {
        var response = await factory.Admin().PostAsJsonAsync("/api/v1/email/test", new { email = "ops@example.edu" });
        var entry = await response.ShouldBe(HttpStatusCode.Accepted);
        response.Headers.Location!.OriginalString.Should().Be($"/api/v1/email/outbox/{entry["id"]}");
        entry["status"]!.GetValue<string>().Should().Be("pending");
        return entry;
    }

    /// <summary>Makes every attempt, each when its backoff is over (and not before); the failed entry.</summary>
    private static async Task<JsonNode> AttemptAllAsync(EmailFactory factory, JsonNode entry)
    {
        var client = factory.Admin();
        var url = $"/api/v1/email/outbox/{entry["id"]}";
        for (var attempt = 1; attempt <= EmailFactory.MaxAttempts; attempt++)
        {
            (await factory.DispatchAsync()).Should().Be(1, "attempt {0} is due", attempt);
            var state = await (await client.GetAsync(url)).ShouldBe(HttpStatusCode.OK);
            state["attempts"]!.GetValue<int>().Should().Be(attempt);
            state["lastError"]!.GetValue<string>().Should().NotBeNullOrEmpty();
            if (attempt == EmailFactory.MaxAttempts)
            {
                state["status"]!.GetValue<string>().Should().Be("failed");
                state["nextAttemptAt"].Should().BeNull();
                (await factory.DispatchAsync()).Should().Be(0, "a failed email is not tried again");
                return state;
            }

            state["status"]!.GetValue<string>().Should().Be("pending");
            var backoff = TimeSpan.FromSeconds(EmailFactory.RetryBaseSeconds * Math.Pow(5, attempt - 1));
            state["nextAttemptAt"]!.GetValue<DateTime>().ToUniversalTime()
                .Should().Be(state["lastAttemptAt"]!.GetValue<DateTime>().ToUniversalTime() + backoff);
            factory.Clock.Advance(backoff - TimeSpan.FromSeconds(1));
            (await factory.DispatchAsync()).Should().Be(0, "the backoff after attempt {0} is not over", attempt);
            factory.Clock.Advance(TimeSpan.FromSeconds(1));
        }

        throw new InvalidOperationException("Unreachable.");
    }
}
