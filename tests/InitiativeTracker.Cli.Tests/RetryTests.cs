using System.Net.Http.Json;
using System.Text.Json;
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
    /// <summary>About three minutes of backoff (1, 2, 4, 8, 16, then 30 s): room for a restart on a loaded CI machine.</summary>
    private const string RetriesAcrossARestart = "10";

    [Fact]
    public async Task ACheckInWhoseServiceWasKilledBeforeAnsweringIsRecordedExactlyOnce()
    {
        await using var restarting = await RestartingService.StartAsync(Path.Combine(service.Folder, "killed-check-in.db"));
        var environment = service.Environment(url: restarting.Proxy.Address);
        var id = await CreateInitiativeAsync(environment, "Checked in across a restart");
        var checkIns = $"POST /api/v1/initiatives/{id}/check-ins ";
        restarting.KillOnAnswerTo(checkIns);

        var result = await CliResult.RunAsync(environment, terminal: false, input: null,
            "checkin", Text(id), "--progress", "60", "--health", "on_track", "--note", "MoU signed", "--retries", RetriesAcrossARestart);

        result.Succeeded();
        result.Json().GetProperty("note").GetString().Should().Be("MoU signed");
        result.Error.Should().Contain("retrying");
        restarting.Processes.Should().HaveCount(2, "the service was killed and started again");
        var (posts, keys) = restarting.Sent(checkIns);
        posts.Should().BeGreaterThan(1, "the first answer was lost, so the command sent it again");
        keys.Should().ContainSingle().Which.Should().NotBeEmpty("every attempt carries the same Idempotency-Key");
        using var client = restarting.Processes[^1].CreateClient();
        var recorded = await client.GetFromJsonAsync<JsonElement>($"/api/v1/initiatives/{id}/check-ins");
        recorded.GetProperty("items").EnumerateArray()
            .Should().ContainSingle("the service replayed the kept answer instead of writing again")
            .Which.GetProperty("note").GetString().Should().Be("MoU signed");
    }

    [Fact]
    public async Task ADeadlineMoveWhoseAnswerWasLostIsMadeOnceAndReportedAsDone()
    {
        await using var restarting = await RestartingService.StartAsync(Path.Combine(service.Folder, "killed-deadline.db"));
        var environment = service.Environment(url: restarting.Proxy.Address);
        var id = await CreateInitiativeAsync(environment, "Moved across a restart");
        var move = $"PUT /api/v1/initiatives/{id}/deadline ";
        restarting.KillOnAnswerTo(move);

        var result = await CliResult.RunAsync(environment, terminal: false, input: null,
            "deadline", Text(id), "--to", "2027-09-30", "--reason", "licence delayed", "--retries", RetriesAcrossARestart);

        result.Succeeded();
        result.Json().GetProperty("deadline").GetString().Should().Be("2027-09-30");
        result.Error.Should().Contain("already been applied");
        restarting.Sent(move).Count.Should().BeGreaterThan(1);
        using var client = restarting.Processes[^1].CreateClient();
        var moves = await client.GetFromJsonAsync<JsonElement>($"/api/v1/initiatives/{id}/deadline-changes");
        moves.GetProperty("items").EnumerateArray().Should().ContainSingle("the retry's If-Match named the version before the move, so it changed nothing");
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
    public async Task AGatewaysHtmlErrorPageIsReportedAsAProblem()
    {
        const string Page = "<html><body><h1>502 Bad Gateway</h1></body></html>";
        await using var proxy = new FaultProxy(service.Process.Address)
        {
            Answer = _ => $"HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/html\r\nContent-Length: {Page.Length}\r\nConnection: close\r\n\r\n{Page}",
        };

        var result = await CliResult.RunAsync(service.Environment(url: proxy.Address), terminal: false, input: null,
            "initiatives", "list", "--retries", "1");

        result.ExitCode.Should().Be(ExitCodes.Unavailable);
        result.Error.Should().Contain("tracker: Bad Gateway (502)").And.Contain("<h1>502 Bad Gateway</h1>");
        proxy.Requests.Should().HaveCount(2, "a 502 is retried too");
    }

    private static async Task<long> CreateInitiativeAsync(Dictionary<string, string?> environment, string title)
    {
        var owner = (await CliResult.RunAsync(environment, false, null, "owners", "create", "--name", title + " owner")).Succeeded().Json();
        var initiative = await CliResult.RunAsync(environment, false, null, "initiatives", "create", "--direction", "1",
            "--owner", Text(owner.GetProperty("id").GetInt64()), "--title", title, "--deadline", "2027-06-30");
        return initiative.Succeeded().Json().GetProperty("id").GetInt64();
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
