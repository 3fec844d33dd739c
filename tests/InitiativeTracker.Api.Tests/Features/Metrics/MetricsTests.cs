using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using InitiativeTracker.Api.Tests.Infrastructure;

namespace InitiativeTracker.Api.Tests.Features.Metrics;

/// <summary>
/// Scrapes <c>/metrics</c> of the real service, parses the Prometheus text format, and checks the names,
/// labels and that the values follow what the service did.
/// </summary>
public sealed partial class MetricsTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "initiative-tracker-tests", $"metrics-{Guid.NewGuid():N}");

    public MetricsTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task MetricsNeedAnAdminKeyAndFollowTheWrites()
    {
        var databaseFile = Path.Combine(_directory, "tracker.db");
        await using var service = await ServiceProcess.StartAsync(databaseFile);
        using var anonymous = new HttpClient { BaseAddress = service.Address };
        (await anonymous.GetAsync("/metrics")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);

        var before = await ScrapeAsync(service.Client);
        var open = Single(before, "tracker_initiatives_open");
        Single(before, "tracker_initiatives_overdue").Should().BeGreaterThanOrEqualTo(0);
        Single(before, "tracker_webhooks_outbox_backlog").Should().BeGreaterThanOrEqualTo(0);
        Single(before, "tracker_webhooks_outbox_oldest_age_seconds").Should().BeGreaterThanOrEqualTo(0);
        Single(before, "tracker_email_outbox_backlog").Should().BeGreaterThanOrEqualTo(0);
        Single(before, "tracker_email_outbox_oldest_age_seconds").Should().BeGreaterThanOrEqualTo(0);
        before.Should().NotContain(s => s.Name == "tracker_backup_age_seconds", "no backup has been taken yet");
        var gateWaits = Sum(before, "tracker_db_write_gate_wait_seconds_count");

        var owner = await service.Client.PostAsJsonAsync("/api/v1/owners", new { name = "Metrics owner" });
        owner.StatusCode.Should().Be(HttpStatusCode.Created);
        var ownerId = (await owner.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<long>();
        for (var i = 0; i < 3; i++)
        {
            (await service.Client.PostAsJsonAsync("/api/v1/initiatives",
                new { directionId = 1, ownerId, title = $"Metrics initiative {i}", deadline = "2099-01-01" })).StatusCode.Should().Be(HttpStatusCode.Created);
        }

        var (exitCode, _, error) = await ServiceProcess.RunVerbAsync(databaseFile, "backup", Path.Combine(_directory, "copy.db"));
        exitCode.Should().Be(0, error);

        var after = await ScrapeAsync(service.Client);
        Single(after, "tracker_initiatives_open").Should().Be(open + 3);
        Sum(after, "tracker_db_write_gate_wait_seconds_count").Should().BeGreaterThanOrEqualTo(gateWaits + 4);
        Single(after, "tracker_db_wal_size_bytes").Should().BeGreaterThan(0);
        Single(after, "tracker_backup_age_seconds").Should().BeInRange(0, 600);

        var created = after.Where(s => s.Name == "http_server_request_duration_seconds_count"
            && Route(s) == "/api/v1/initiatives"
            && s.Labels.GetValueOrDefault("http_request_method") == "POST"
            && s.Labels.GetValueOrDefault("http_response_status_code") == "201").ToList();
        created.Should().ContainSingle().Which.Value.Should().Be(3);
        after.Should().Contain(s => s.Name == "http_server_request_duration_seconds_bucket"
            && Route(s) == "/api/v1/owners" && s.Labels.ContainsKey("le"));
    }

    [Fact]
    public async Task MetricsCanBeServedWithoutAKeyWhenConfigured()
    {
        await using var service = await ServiceProcess.StartAsync(Path.Combine(_directory, "anonymous.db"), "--Tracker:Metrics:AllowAnonymous", "true");
        using var anonymous = new HttpClient { BaseAddress = service.Address };
        var samples = await ScrapeAsync(anonymous);
        samples.Should().Contain(s => s.Name == "tracker_initiatives_open");
    }

    [Fact]
    public async Task OtlpExportsTracesAndMetricsWhenTheStandardEndpointIsSet()
    {
        // A collector stand-in: an HTTP listener that records the paths OTLP/HTTP posts to.
        var port = ServiceProcess.FreePort();
        using var collector = new HttpListener();
        collector.Prefixes.Add($"http://127.0.0.1:{port}/");
        collector.Start();
        var received = new System.Collections.Concurrent.ConcurrentDictionary<string, long>();
        var receiving = Task.Run(async () =>
        {
            while (collector.IsListening)
            {
                var context = await collector.GetContextAsync();
                var body = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(body);
                received.AddOrUpdate(context.Request.Url!.AbsolutePath, body.Length, (_, total) => total + body.Length);
                context.Response.StatusCode = 200;
                context.Response.Close();
            }
        });

        await using var service = await ServiceProcess.StartAsync(Path.Combine(_directory, "otlp.db"),
            "--OTEL_EXPORTER_OTLP_ENDPOINT", $"http://127.0.0.1:{port}", "--OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf",
            "--OTEL_METRIC_EXPORT_INTERVAL", "500");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!(received.ContainsKey("/v1/traces") && received.ContainsKey("/v1/metrics")) && clock.Elapsed < TimeSpan.FromMinutes(1))
        {
            (await service.Client.GetAsync("/api/v1/meetings")).StatusCode.Should().Be(HttpStatusCode.OK);
            await Task.Delay(250);
        }

        received.Keys.Should().Contain(["/v1/traces", "/v1/metrics"]);
        received.Values.Should().OnlyContain(bytes => bytes > 0);
        collector.Stop();
    }

    private sealed record Sample(string Name, Dictionary<string, string> Labels, double Value);

    private static async Task<List<Sample>> ScrapeAsync(HttpClient client)
    {
        var response = await client.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.OK, text);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/plain");
        var samples = new List<Sample>();
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var match = SampleLine().Match(line);
            match.Success.Should().BeTrue($"every sample line is 'name{{labels}} value [timestamp]': {line}");
            var labels = LabelPair().Matches(match.Groups["labels"].Value).ToDictionary(m => m.Groups["name"].Value, m => m.Groups["value"].Value);
            samples.Add(new Sample(match.Groups["name"].Value, labels, double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture)));
        }

        return samples;
    }

    /// <summary>The route template the framework labels a request with (a group's root route ends in '/').</summary>
    private static string? Route(Sample sample) => sample.Labels.GetValueOrDefault("http_route")?.TrimEnd('/');

    private static double Single(List<Sample> samples, string name) => samples.Should().ContainSingle(s => s.Name == name).Which.Value;

    private static double Sum(List<Sample> samples, string name) => samples.Where(s => s.Name == name).Sum(s => s.Value);

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(?<labels>[^}]*)\})? (?<value>\S+)(?: \d+)?$""")]
    private static partial Regex SampleLine();

    [GeneratedRegex("""(?<name>[a-zA-Z_][a-zA-Z0-9_]*)="(?<value>(?:[^"\\]|\\.)*)",?""")]
    private static partial Regex LabelPair();
}
