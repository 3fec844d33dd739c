using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using InitiativeTracker.Api.Features.Webhooks;
using InitiativeTracker.Api.Infrastructure.Database;
using InitiativeTracker.Api.Tests.Features.CheckIns;
using InitiativeTracker.Api.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace InitiativeTracker.Api.Tests.Features.Webhooks;

/// <summary>Events caused by writes, and how they are delivered: signed, retried with backoff, redelivered.</summary>
public sealed class WebhookDeliveryTests(WebhookFactory factory) : IClassFixture<WebhookFactory>
{
    private readonly HttpClient _client = factory.Admin();

    [Fact]
    public async Task SignsTheDeliveryWithTheSecretAndSendsTheHeaders()
    {
        var (inbox, webhookId, secret) = await _client.NewWebhookAsync(factory, "initiative.created");

        var initiativeId = await _client.NewInitiativeAsync(deadline: "2026-06-30");
        await factory.DispatchAsync();

        var received = inbox.Received.Should().ContainSingle().Subject;
        received.Event.Should().Be("initiative.created");
        received.ContentType.Should().Be("application/json");
        Guid.TryParse(received.DeliveryId, out _).Should().BeTrue();
        var signature = received.Signature.Split(',');
        signature.Should().HaveCount(2);
        signature[0].Should().StartWith("t=");
        signature[1].Should().StartWith("v1=");
        var t = signature[0][2..];
        t.Should().Be(factory.Clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{t}.{received.Body}")));
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(signature[1][3..]), Encoding.ASCII.GetBytes(expected)).Should().BeTrue();

        var envelope = received.Json;
        envelope.AsObject().Select(p => p.Key).Should().Equal("id", "type", "occurredAt", "data");
        envelope["type"]!.GetValue<string>().Should().Be("initiative.created");
        envelope["occurredAt"]!.GetValue<string>().Should().EndWith("Z");
        envelope["occurredAt"]!.GetValue<DateTimeOffset>().Should().Be(factory.Clock.GetUtcNow());
        envelope["data"]!["initiative"]!["id"]!.GetValue<long>().Should().Be(initiativeId);
        envelope["data"]!["initiative"]!["status"]!.GetValue<string>().Should().Be("planned");

        var delivery = await _client.SingleDeliveryAsync(webhookId);
        delivery["deliveryId"]!.GetValue<string>().Should().Be(received.DeliveryId);
        delivery["eventId"]!.GetValue<string>().Should().Be(envelope["id"]!.GetValue<string>());
        delivery["event"]!.GetValue<string>().Should().Be("initiative.created");
        delivery["status"]!.GetValue<string>().Should().Be("delivered");
        delivery["attempts"]!.GetValue<int>().Should().Be(1);
        delivery["lastStatusCode"]!.GetValue<int>().Should().Be(200);
        delivery["lastError"].Should().BeNull();
        delivery["nextAttemptAt"].Should().BeNull();
    }

    [Fact]
    public async Task EachWriteQueuesExactlyOneDeliveryOfItsType()
    {
        var (inbox, webhookId, _) = await _client.NewWebhookAsync(factory,
            "initiative.created", "initiative.updated", "initiative.deleted", "check_in.created", "deadline.changed");

        var id = await _client.NewInitiativeAsync(deadline: "2026-06-30");
        (await EventsAsync(webhookId)).Should().Equal("initiative.created");

        await (await _client.CheckInAsync(id, new { progress = 20, status = "in_progress", health = "on_track" })).ShouldBe(HttpStatusCode.Created);
        (await EventsAsync(webhookId)).Should().Equal("check_in.created", "initiative.created");

        await (await _client.PutJsonAsync($"/api/v1/initiatives/{id}/deadline", """{"deadline":"2026-07-31","reason":"Visa delays"}""")).ShouldBe(HttpStatusCode.OK);
        (await EventsAsync(webhookId)).Should().Equal("deadline.changed", "check_in.created", "initiative.created");

        var patch = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/initiatives/{id}")
        {
            Content = new StringContent("""{"description":"With two partner universities"}""", Encoding.UTF8, "application/merge-patch+json"),
        };
        await (await _client.SendAsync(patch)).ShouldBe(HttpStatusCode.OK);
        (await EventsAsync(webhookId))[0].Should().Be("initiative.updated");

        (await _client.DeleteAsync($"/api/v1/initiatives/{id}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await EventsAsync(webhookId)).Should().Equal(
            "initiative.deleted", "initiative.updated", "deadline.changed", "check_in.created", "initiative.created");

        await factory.DispatchAsync();
        var received = inbox.Received.Where(r => r.InitiativeId == id).ToList();
        received.Select(r => r.Event).Should().BeEquivalentTo(
            ["initiative.created", "check_in.created", "deadline.changed", "initiative.updated", "initiative.deleted"]);
        var checkIn = received.Single(r => r.Event == "check_in.created").Json["data"]!;
        checkIn["checkIn"]!["progress"]!.GetValue<int>().Should().Be(20);
        checkIn["initiative"]!["status"]!.GetValue<string>().Should().Be("in_progress");
        var moved = received.Single(r => r.Event == "deadline.changed").Json["data"]!;
        moved["from"]!.GetValue<string>().Should().Be("2026-06-30");
        moved["to"]!.GetValue<string>().Should().Be("2026-07-31");
        moved["reason"]!.GetValue<string>().Should().Be("Visa delays");
        moved["changedBy"]!.GetValue<string>().Should().Be("bootstrap");
        var updated = received.Single(r => r.Event == "initiative.updated").Json["data"]!;
        updated["changes"]!["description"]!["after"]!.GetValue<string>().Should().Be("With two partner universities");
        received.Single(r => r.Event == "initiative.deleted").Json["data"]!["initiative"]!["id"]!.GetValue<long>().Should().Be(id);
    }

    [Fact]
    public async Task AWriteThatFailsQueuesNothing()
    {
        var (_, webhookId, _) = await _client.NewWebhookAsync(factory, "initiative.created", "check_in.created", "deadline.changed", "initiative.updated");
        var id = await _client.NewInitiativeAsync(deadline: "2026-06-30");
        var before = await DeliveryCountAsync(webhookId);

        await (await _client.CheckInAsync(id, new { progress = 100, status = "done", health = "on_track" })).ShouldBeProblem(HttpStatusCode.Conflict);
        await (await _client.PutJsonAsync($"/api/v1/initiatives/{id}/deadline", """{"deadline":"2026-06-30","reason":"No move"}""")).ShouldBeProblem(HttpStatusCode.BadRequest, "deadline");
        await (await _client.PostJsonAsync("/api/v1/initiatives", """{"directionId":999,"ownerId":1,"title":"Orphan","deadline":"2026-06-30"}"""))
            .ShouldBeProblem(HttpStatusCode.BadRequest, "directionId");
        var stale = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/initiatives/{id}")
        {
            Content = new StringContent("""{"directionId":1,"ownerId":1,"title":"Stale"}""", Encoding.UTF8, "application/json"),
        };
        stale.Headers.TryAddWithoutValidation("If-Match", "\"99\"");
        await (await _client.SendAsync(stale)).ShouldBeProblem(HttpStatusCode.PreconditionFailed);

        (await DeliveryCountAsync(webhookId)).Should().Be(before);
    }

    [Fact]
    public async Task AQueuedEventRollsBackWithTheTransactionThatQueuedIt()
    {
        var (_, webhookId, _) = await _client.NewWebhookAsync(factory, "initiative.created");
        var db = factory.Services.GetRequiredService<Db>();
        var outbox = factory.Services.GetRequiredService<WebhookOutbox>();
        var before = await DeliveryCountAsync(webhookId);

        var write = () => db.WriteAsync<int>(async (connection, transaction) =>
        {
            await outbox.EnqueueAsync(connection, transaction, WebhookEvents.Pinged(webhookId) with { Type = "initiative.created" }, CancellationToken.None);
            throw new InvalidOperationException("The write fails after queuing its event.");
        }, CancellationToken.None);

        await write.Should().ThrowAsync<InvalidOperationException>();
        (await DeliveryCountAsync(webhookId)).Should().Be(before);
    }

    [Fact]
    public async Task RetriesAFailureWithBackoffKeepingTheDeliveryId()
    {
        var (inbox, webhookId, _) = await _client.NewWebhookAsync(factory, "initiative.created");
        inbox.AnswerWith(500);
        var start = factory.Clock.GetUtcNow();

        await _client.NewInitiativeAsync();
        await factory.DispatchAsync();

        var first = await _client.SingleDeliveryAsync(webhookId);
        first["status"]!.GetValue<string>().Should().Be("pending");
        first["attempts"]!.GetValue<int>().Should().Be(1);
        first["lastStatusCode"]!.GetValue<int>().Should().Be(500);
        first["lastError"]!.GetValue<string>().Should().Be("The receiver answered 500 Internal Server Error.");
        first["nextAttemptAt"]!.GetValue<DateTimeOffset>().Should().Be(start.AddSeconds(60));

        factory.Clock.Advance(TimeSpan.FromSeconds(59));
        await factory.DispatchAsync();
        inbox.Received.Should().HaveCount(1, "the retry is not due yet");

        factory.Clock.Advance(TimeSpan.FromSeconds(1));
        await factory.DispatchAsync();

        inbox.Received.Should().HaveCount(2);
        inbox.Received[1].DeliveryId.Should().Be(inbox.Received[0].DeliveryId);
        inbox.Received[1].Body.Should().Be(inbox.Received[0].Body);
        var second = await _client.SingleDeliveryAsync(webhookId);
        second["status"]!.GetValue<string>().Should().Be("delivered");
        second["attempts"]!.GetValue<int>().Should().Be(2);
        second["lastStatusCode"]!.GetValue<int>().Should().Be(200);
        second["lastError"].Should().BeNull();
        second["lastAttemptAt"]!.GetValue<DateTimeOffset>().Should().Be(start.AddSeconds(60));
    }

    [Fact]
    public async Task MarksTheDeliveryFailedAfterSixFailedAttemptsThenRedeliversItWithTheSameId()
    {
        var (inbox, webhookId, _) = await _client.NewWebhookAsync(factory, "initiative.created");
        inbox.AnswerWith(503, 503, 503, 503, 503, 503);

        await _client.NewInitiativeAsync();
        await factory.DispatchAsync();
        foreach (var delay in new[] { 60, 300, 1_500, 7_500, 37_500 })
        {
            var pending = await _client.SingleDeliveryAsync(webhookId);
            pending["status"]!.GetValue<string>().Should().Be("pending");
            pending["nextAttemptAt"]!.GetValue<DateTimeOffset>().Should().Be(factory.Clock.GetUtcNow().AddSeconds(delay));
            factory.Clock.Advance(TimeSpan.FromSeconds(delay));
            await factory.DispatchAsync();
        }

        inbox.Received.Should().HaveCount(6);
        inbox.Received.Select(r => r.DeliveryId).Distinct().Should().ContainSingle();
        var failed = await _client.SingleDeliveryAsync(webhookId);
        failed["status"]!.GetValue<string>().Should().Be("failed");
        failed["attempts"]!.GetValue<int>().Should().Be(6);
        failed["nextAttemptAt"].Should().BeNull();
        failed["lastStatusCode"]!.GetValue<int>().Should().Be(503);

        factory.Clock.Advance(TimeSpan.FromDays(1));
        await factory.DispatchAsync();
        inbox.Received.Should().HaveCount(6, "a failed delivery is not retried on its own");

        var deliveryId = failed["deliveryId"]!.GetValue<string>();
        var response = await _client.PostAsync($"/api/v1/webhooks/{webhookId}/deliveries/{deliveryId}/redeliver", null);
        var requeued = await response.ShouldBe(HttpStatusCode.Accepted);
        response.Headers.Location!.OriginalString.Should().Be($"/api/v1/webhooks/{webhookId}/deliveries/{deliveryId}");
        requeued["status"]!.GetValue<string>().Should().Be("pending");
        requeued["attempts"]!.GetValue<int>().Should().Be(0);
        requeued["deliveryId"]!.GetValue<string>().Should().Be(deliveryId);
        await factory.DispatchAsync();

        inbox.Received.Should().HaveCount(7);
        inbox.Received[6].DeliveryId.Should().Be(deliveryId);
        inbox.Received[6].Body.Should().Be(inbox.Received[0].Body);
        var delivered = await (await _client.GetAsync($"/api/v1/webhooks/{webhookId}/deliveries/{deliveryId}")).ShouldBe(HttpStatusCode.OK);
        delivered["status"]!.GetValue<string>().Should().Be("delivered");
        delivered["attempts"]!.GetValue<int>().Should().Be(1);
    }

    [Fact]
    public async Task FiltersDeliveriesByTheDocumentedStatusNames()
    {
        var (inbox, webhookId, _) = await _client.NewWebhookAsync(factory, "initiative.created");
        inbox.AnswerWith(200, 503);
        await _client.NewInitiativeAsync();
        await factory.DispatchAsync();
        await _client.NewInitiativeAsync();
        await factory.DispatchAsync();
        var url = $"/api/v1/webhooks/{webhookId}/deliveries";

        async Task<string[]> StatusesOf(string query) =>
            (await (await _client.GetAsync($"{url}?{query}")).ShouldBe(HttpStatusCode.OK))["items"]!.AsArray()
                .Select(d => d!["status"]!.GetValue<string>()).ToArray();

        (await StatusesOf("status=delivered")).Should().Equal("delivered");
        (await StatusesOf("status=pending")).Should().Equal("pending");
        (await StatusesOf("status=failed")).Should().BeEmpty();
        await (await _client.GetAsync($"{url}?status=Delivered")).ShouldBeProblem(HttpStatusCode.BadRequest, "status");
        await (await _client.GetAsync($"{url}?status=1")).ShouldBeProblem(HttpStatusCode.BadRequest, "status");
    }

    [Fact]
    public async Task RedeliversADeliveredDeliveryByItsNumericIdToo()
    {
        var (inbox, webhookId, _) = await _client.NewWebhookAsync(factory, "initiative.created");
        await _client.NewInitiativeAsync();
        await factory.DispatchAsync();
        var delivery = await _client.SingleDeliveryAsync(webhookId);

        await (await _client.PostAsync($"/api/v1/webhooks/{webhookId}/deliveries/{delivery["id"]}/redeliver", null)).ShouldBe(HttpStatusCode.Accepted);
        await factory.DispatchAsync();

        inbox.Received.Should().HaveCount(2);
        inbox.Received.Select(r => r.DeliveryId).Should().AllBe(delivery["deliveryId"]!.GetValue<string>());
        await (await _client.PostAsync($"/api/v1/webhooks/{webhookId}/deliveries/{Guid.NewGuid()}/redeliver", null)).ShouldBeProblem(HttpStatusCode.NotFound);
        await (await _client.PostAsync($"/api/v1/webhooks/999999/deliveries/{delivery["id"]}/redeliver", null)).ShouldBeProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task TreatsNoAnswerWithinTenSecondsAsAFailure()
    {
        var (inbox, webhookId, _) = await _client.NewWebhookAsync(factory, "initiative.created");
        inbox.HoldNext();
        await _client.NewInitiativeAsync();

        var pass = factory.DispatchAsync();
        await inbox.WaitForArrivalAsync();
        factory.Clock.Advance(TimeSpan.FromSeconds(10));
        await pass.WaitAsync(TimeSpan.FromSeconds(15));
        inbox.Release();

        var delivery = await _client.SingleDeliveryAsync(webhookId);
        delivery["status"]!.GetValue<string>().Should().Be("pending");
        delivery["attempts"]!.GetValue<int>().Should().Be(1);
        delivery["lastStatusCode"].Should().BeNull();
        delivery["lastError"]!.GetValue<string>().Should().Be("No answer within 10 s.");
    }

    [Fact]
    public async Task RecordsAConnectionErrorInShort()
    {
        var (inbox, webhookId, _) = await _client.NewWebhookAsync(factory, "initiative.created");
        // Point the webhook at a loopback port nobody listens on.
        using var unused = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        unused.Start();
        var port = ((IPEndPoint)unused.LocalEndpoint).Port;
        unused.Stop();
        await (await _client.PutAsJsonAsync($"/api/v1/webhooks/{webhookId}", new { url = $"http://127.0.0.1:{port}/closed", events = new[] { "initiative.created" } }))
            .ShouldBe(HttpStatusCode.OK);

        await _client.NewInitiativeAsync();
        await factory.DispatchAsync();

        var delivery = await _client.SingleDeliveryAsync(webhookId);
        delivery["status"]!.GetValue<string>().Should().Be("pending");
        delivery["lastStatusCode"].Should().BeNull();
        var error = delivery["lastError"]!.GetValue<string>();
        error.Should().StartWith("Could not connect");
        error.Should().NotContain("   at ").And.NotContain("\n");
        inbox.Received.Should().BeEmpty();
        (await _client.DeleteAsync($"/api/v1/webhooks/{webhookId}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task PingsAWebhookWhateverItSubscribesTo()
    {
        var (inbox, webhookId, secret) = await _client.NewWebhookAsync(factory, "report.overdue_digest");

        var response = await _client.PostAsync($"/api/v1/webhooks/{webhookId}/ping", null);
        var queued = await response.ShouldBe(HttpStatusCode.Accepted);
        queued["event"]!.GetValue<string>().Should().Be("ping");
        queued["status"]!.GetValue<string>().Should().Be("pending");
        response.Headers.Location!.OriginalString.Should().Be($"/api/v1/webhooks/{webhookId}/deliveries/{queued["deliveryId"]}");
        await factory.DispatchAsync();

        var ping = inbox.Received.Should().ContainSingle().Subject;
        ping.Event.Should().Be("ping");
        ping.DeliveryId.Should().Be(queued["deliveryId"]!.GetValue<string>());
        ping.Json["data"]!["webhookId"]!.GetValue<long>().Should().Be(webhookId);
        var t = ping.Signature.Split(',')[0][2..];
        ping.Signature.Should().EndWith(Convert.ToHexStringLower(
            HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{t}.{ping.Body}"))));
        var delivered = await (await _client.GetAsync(response.Headers.Location)).ShouldBe(HttpStatusCode.OK);
        delivered["status"]!.GetValue<string>().Should().Be("delivered");

        await (await _client.PostAsync("/api/v1/webhooks/999999/ping", null)).ShouldBeProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task AnswersADeliveryWithAnETagThatChangesWheneverTheDeliveryDoes()
    {
        var (inbox, webhookId, _) = await _client.NewWebhookAsync(factory, "report.overdue_digest");
        var ping = await _client.PostAsync($"/api/v1/webhooks/{webhookId}/ping", null);
        var queued = await ping.ShouldBe(HttpStatusCode.Accepted);
        ping.Headers.ETag.Should().BeNull("a 202 answers queued work, which is about to change");
        var url = ping.Headers.Location!.OriginalString;

        var pending = await _client.GetAsync(url);
        var first = await pending.ShouldBe(HttpStatusCode.OK);
        pending.Headers.ETag!.Tag.Should().Be($"\"{first["version"]}\"");
        first["version"]!.GetValue<long>().Should().Be(queued["version"]!.GetValue<long>());
        var notModified = await _client.GetIfNoneMatchAsync(url, pending.Headers.ETag.Tag);
        notModified.StatusCode.Should().Be(HttpStatusCode.NotModified);
        notModified.Headers.ETag!.Tag.Should().Be(pending.Headers.ETag.Tag);

        await factory.DispatchAsync();
        inbox.Received.Should().ContainSingle();
        var afterAttempt = await _client.GetIfNoneMatchAsync(url, pending.Headers.ETag.Tag);
        var delivered = await afterAttempt.ShouldBe(HttpStatusCode.OK);
        delivered["status"]!.GetValue<string>().Should().Be("delivered");
        afterAttempt.Headers.ETag!.Tag.Should().NotBe(pending.Headers.ETag.Tag, "the attempt changed the delivery");
        afterAttempt.Headers.ETag.Tag.Should().Be($"\"{delivered["version"]}\"");
        (await _client.GetIfNoneMatchAsync(url, afterAttempt.Headers.ETag.Tag)).StatusCode.Should().Be(HttpStatusCode.NotModified);

        await (await _client.PostAsync($"{url}/redeliver", null)).ShouldBe(HttpStatusCode.Accepted);
        var afterRedeliver = await _client.GetIfNoneMatchAsync(url, afterAttempt.Headers.ETag.Tag);
        var requeued = await afterRedeliver.ShouldBe(HttpStatusCode.OK);
        requeued["status"]!.GetValue<string>().Should().Be("pending");
        afterRedeliver.Headers.ETag!.Tag.Should().NotBe(afterAttempt.Headers.ETag.Tag, "redelivering changed the delivery");
        (await _client.GetAsync($"/api/v1/webhooks/{webhookId}/deliveries/{delivered["id"]}")).Headers.ETag!.Tag
            .Should().Be(afterRedeliver.Headers.ETag.Tag, "the delivery has one ETag, by id or by deliveryId");
    }

    [Fact]
    public async Task AnInactiveWebhookIsQueuedNothingAndRefusesPings()
    {
        var (inbox, webhookId, _) = await _client.NewWebhookAsync(factory, "initiative.created");
        await (await _client.PutAsJsonAsync($"/api/v1/webhooks/{webhookId}", new { url = inbox.Url, events = new[] { "initiative.created" }, active = false }))
            .ShouldBe(HttpStatusCode.OK);

        await _client.NewInitiativeAsync();
        await factory.DispatchAsync();

        (await _client.DeliveriesAsync(webhookId)).Should().BeEmpty();
        inbox.Received.Should().BeEmpty();
        await (await _client.PostAsync($"/api/v1/webhooks/{webhookId}/ping", null)).ShouldBeProblem(HttpStatusCode.Conflict, "active");
    }

    [Fact]
    public async Task HoldsQueuedDeliveriesWhilePausedAndSendsThemOnResume()
    {
        var (inbox, webhookId, _) = await _client.NewWebhookAsync(factory, "initiative.created");
        inbox.AnswerWith(500);
        await _client.NewInitiativeAsync();
        await factory.DispatchAsync();
        await (await _client.PutAsJsonAsync($"/api/v1/webhooks/{webhookId}", new { url = inbox.Url, events = new[] { "initiative.created" }, active = false }))
            .ShouldBe(HttpStatusCode.OK);

        factory.Clock.Advance(TimeSpan.FromMinutes(2));
        await factory.DispatchAsync();
        inbox.Received.Should().HaveCount(1, "a paused webhook is sent nothing");

        await (await _client.PutAsJsonAsync($"/api/v1/webhooks/{webhookId}", new { url = inbox.Url, events = new[] { "initiative.created" }, active = true }))
            .ShouldBe(HttpStatusCode.OK);
        await factory.DispatchAsync();

        inbox.Received.Should().HaveCount(2);
        (await _client.SingleDeliveryAsync(webhookId))["status"]!.GetValue<string>().Should().Be("delivered");
    }

    [Fact]
    public async Task RefusesAtSendTimeAnAddressThatResolvesToLoopback()
    {
        // Written behind the API's back, as a webhook saved before its host started resolving to loopback
        // (DNS rebinding): the send is refused at the address it would connect to, and nothing is sent.
        var inbox = factory.Receiver.NewInbox(host: "localhost");
        var webhookId = await factory.ScalarAsync<long>("""
            INSERT INTO webhooks (url, events, secret, active, created_at, updated_at)
            VALUES (@url, '["initiative.created"]', 'a-secret-of-sixteen-chars', 1, '2026-03-10T02:00:00.000Z', '2026-03-10T02:00:00.000Z')
            RETURNING id;
            """, new { url = inbox.Url });

        await _client.NewInitiativeAsync();
        await factory.DispatchAsync();

        var delivery = await _client.SingleDeliveryAsync(webhookId);
        delivery["status"]!.GetValue<string>().Should().Be("pending");
        delivery["lastError"]!.GetValue<string>().Should().StartWith("Refused: 'localhost' resolves to");
        inbox.Received.Should().BeEmpty();
        (await _client.DeleteAsync($"/api/v1/webhooks/{webhookId}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
    }

    private async Task<List<string>> EventsAsync(long webhookId) =>
        (await _client.DeliveriesAsync(webhookId)).Select(d => d!["event"]!.GetValue<string>()).ToList();

    private Task<long> DeliveryCountAsync(long webhookId) =>
        factory.ScalarAsync<long>("SELECT COUNT(*) FROM webhook_deliveries WHERE webhook_id = @webhookId", new { webhookId });
}
