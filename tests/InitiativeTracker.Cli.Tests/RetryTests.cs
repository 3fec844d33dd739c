using InitiativeTracker.Api.Tests.Infrastructure;
using InitiativeTracker.Cli.Tests.Infrastructure;
using static InitiativeTracker.Cli.Tests.Infrastructure.TrackerService;

namespace InitiativeTracker.Cli.Tests;

/// <summary>
/// Writes survive what a cron job meets: the service killed while the command waits for its answer, a 429,
/// a 5xx. A proxy between the command and the service loses answers, or answers itself, and records what
/// was sent; the service behind it is the real one.
/// </summary>
public sealed class RetryTests(TrackerService service) : IClassFixture<TrackerService>
{
    [Fact]
    public async Task ACheckInWhoseServiceWasKilledBeforeAnsweringIsRecordedExactlyOnce()
    {
        var database = Path.Combine(service.Folder, "restarted.db");
        var restarted = new List<ServiceProcess>();
        var first = await ServiceProcess.StartAsync(database);
        try
        {
            var direct = service.Environment(url: first.Address);
            var owner = (await CliResult.RunAsync(direct, false, null, "owners", "create", "--name", "Restart Owner")).Succeeded().Json().GetProperty("id").GetInt64();
            var id = (await CliResult.RunAsync(direct, false, null, "initiatives", "create", "--direction", "1", "--owner", Text(owner),
                "--title", "Checked in across a restart", "--deadline", "2027-06-30")).Succeeded().Json().GetProperty("id").GetInt64();
            await using var proxy = new FaultProxy(first.Address);
            Task? restart = null;
            proxy.OnAnswer = async head =>
            {
                if (!head.StartsWith("POST ", StringComparison.Ordinal) || restart is not null)
                {
                    return Fault.None;
                }

                // The check-in is committed (its answer is here): kill the service before the answer
                // leaves, and bring it back on the same database while the command retries.
                await first.KillAsync();
                restart = Task.Run(async () =>
                {
                    var again = await ServiceProcess.StartAsync(database);
                    lock (restarted)
                    {
                        restarted.Add(again);
                    }

                    proxy.Upstream = again.Address;
                });
                return Fault.LoseAnswer;
            };

            var result = await CliResult.RunAsync(service.Environment(url: proxy.Address), terminal: false, input: null,
                "checkin", Text(id), "--progress", "60", "--health", "on_track", "--note", "MoU signed");

            result.Succeeded();
            result.Json().GetProperty("note").GetString().Should().Be("MoU signed");
            result.Error.Should().Contain("retrying");
            var posts = proxy.Requests.Where(r => r.StartsWith("POST ", StringComparison.Ordinal)).ToList();
            posts.Count.Should().BeGreaterThan(1, "the first answer was lost, so the command sent it again");
            posts.Select(p => FaultProxy.Header(p, "Idempotency-Key")).Distinct().Should().ContainSingle()
                .Which.Should().NotBeEmpty("every attempt carries the same key");

            restarted.Should().ContainSingle();
            using var client = restarted[0].CreateClient();
            var checkIns = await client.GetStringAsync($"/api/v1/initiatives/{id}/check-ins");
            System.Text.Json.JsonDocument.Parse(checkIns).RootElement.GetProperty("items").EnumerateArray()
                .Should().ContainSingle("the service replayed the kept answer instead of writing again")
                .Which.GetProperty("note").GetString().Should().Be("MoU signed");
        }
        finally
        {
            await first.DisposeAsync();
            foreach (var process in restarted)
            {
                await process.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A429IsRetriedAfterItsRetryAfterWithTheSameKey()
    {
        var owner = await service.CreateOwnerAsync("Rate Limited Owner");
        var id = await service.CreateInitiativeAsync(owner, "Checked in through a 429");
        await using var proxy = new FaultProxy(service.Process.Address);
        var refused = 0;
        proxy.Answer = head => head.StartsWith("POST ", StringComparison.Ordinal) && Interlocked.Increment(ref refused) == 1
            ? "HTTP/1.1 429 Too Many Requests\r\nRetry-After: 1\r\nContent-Type: application/problem+json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}"
            : null;

        var started = DateTimeOffset.UtcNow;
        var result = await CliResult.RunAsync(service.Environment(url: proxy.Address), terminal: false, input: null,
            "checkin", Text(id), "--progress", "30", "--health", "at_risk");

        result.Succeeded();
        result.Error.Should().Contain("429").And.Contain("retrying in 1 s");
        (DateTimeOffset.UtcNow - started).Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(1), "it waited for Retry-After");
        var posts = proxy.Requests.Where(r => r.StartsWith("POST ", StringComparison.Ordinal)).ToList();
        posts.Should().HaveCount(2);
        FaultProxy.Header(posts[0], "Idempotency-Key").Should().NotBeEmpty().And.Be(FaultProxy.Header(posts[1], "Idempotency-Key"));
        (await service.GetJsonAsync($"/api/v1/initiatives/{id}/check-ins")).GetProperty("totalCount").GetInt64().Should().Be(1);
    }

    [Fact]
    public async Task A5xxIsRetriedAndExitsFiveWhenItPersists()
    {
        var owner = await service.CreateOwnerAsync("Failing Service Owner");
        var id = await service.CreateInitiativeAsync(owner, "Behind a failing gateway");
        const string Problem = """{"title":"Service Unavailable","status":503,"detail":"The database is busy"}""";
        await using var proxy = new FaultProxy(service.Process.Address)
        {
            Answer = _ => $"HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/problem+json\r\nContent-Length: {Problem.Length}\r\nConnection: close\r\n\r\n{Problem}",
        };

        var result = await CliResult.RunAsync(service.Environment(url: proxy.Address), terminal: false, input: null,
            "checkin", Text(id), "--progress", "30", "--health", "at_risk", "--retries", "2");

        result.ExitCode.Should().Be(ExitCodes.Unavailable);
        result.Error.Should().Contain("Service Unavailable (503)").And.Contain("The database is busy");
        proxy.Requests.Should().HaveCount(3, "one attempt and two retries");
        proxy.Requests.Select(r => FaultProxy.Header(r, "Idempotency-Key")).Distinct().Should().ContainSingle();
        (await service.GetJsonAsync($"/api/v1/initiatives/{id}/check-ins")).GetProperty("totalCount").GetInt64().Should().Be(0);
    }
}
