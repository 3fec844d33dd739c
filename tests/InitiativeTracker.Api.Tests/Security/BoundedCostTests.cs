using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using InitiativeTracker.Api.Tests.Infrastructure;
using Xunit.Abstractions;

namespace InitiativeTracker.Api.Tests.Security;

/// <summary>
/// Large, hostile requests against the real service, measured in the process's own memory: each is
/// refused with a small 4xx problem, the service's resident memory stays within a ceiling of the
/// request's size, and it stays ready. A header of a million CSV columns once took 2 GB and answered
/// a 126 MB problem.
/// </summary>
[Trait("Category", "Hostile")]
public sealed class BoundedCostTests : IDisposable
{
    /// <summary>
    /// The most a refused request's growth may be, above <see cref="Ceiling"/>'s multiple of its size: the
    /// workstation GC lets gen0 and the large-object heap grow by tens of MB before it collects, and the
    /// first large request maps pool and LOH segments the process then keeps. Without the limits a
    /// request here grew the process by 2 GB; with them it grows by a few MB plus this slack.
    /// </summary>
    private const long FixedAllowance = 64L * 1024 * 1024;

    /// <summary>A problem is a few KB: 100 fields in error at most, each with a message or two.</summary>
    private const int MaxProblemBytes = 64 * 1024;

    private readonly string _databaseFile = Path.Combine(Path.GetTempPath(), "initiative-tracker-tests", $"hostile-{Guid.NewGuid():N}.db");

    private readonly ITestOutputHelper _output;

    public BoundedCostTests(ITestOutputHelper output)
    {
        _output = output;
        Directory.CreateDirectory(Path.GetDirectoryName(_databaseFile)!);
    }

    /// <summary>
    /// The body is held once as bytes (the import reads it whole, within its 16 MiB), once more by the
    /// request buffering that lets a bad body be read again, and read as text in blocks: four times its
    /// size covers that with room for the rows read from it.
    /// </summary>
    private static long Ceiling(long requestBytes) => (4 * requestBytes) + FixedAllowance;

    [Fact]
    public async Task HugeImportsAndArraysAreRefusedCheaplyWithASmallProblemAndTheServiceStaysReady()
    {
        await using var service = await ServiceProcess.StartAsync(_databaseFile);
        var owner = (await (await service.Client.PostAsJsonAsync("/api/v1/owners", new { name = "Hostile owner" })).Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<long>();
        var lead = (await (await service.Client.PostAsJsonAsync("/api/v1/api-keys", new { name = "hostile-lead", role = "lead", ownerId = owner }))
            .Content.ReadFromJsonAsync<JsonObject>())!["key"]!.GetValue<string>();
        using var leadClient = service.CreateClient(lead);

        // Warm up the paths measured, so JIT and first-use pools are not counted as the requests' cost.
        await SendAsync(leadClient, Import("a,b\r\n", "text/csv"));
        await SendAsync(leadClient, Import("[{}]", "application/json"));
        await SendAsync(service.Client, Webhook(3));

        // A million short column names (about 7 MB): one error, past the 1 Mi-character record limit.
        var names = string.Join(",", Enumerable.Range(0, 1_000_000).Select(i => $"c{i}")) + "\r\n1\r\n";
        var csv = await MeasureAsync(service, leadClient, Import(names, "text/csv"), "1,000,000 CSV column names");
        csv["errors"]!.AsObject().Select(e => e.Key).Should().Equal("header");

        // A million empty column names, under the record limit: one error, past the 32-column limit.
        var commas = await MeasureAsync(service, leadClient, Import(new string(',', 999_999) + "\r\n", "text/csv"), "1,000,000 empty CSV columns");
        commas["errors"]!["header"]![0]!.GetValue<string>().Should().StartWith("The header has 1000000 columns; an import takes at most 32.");

        // 100,000 JSON rows (about 9 MB): read a row at a time, refused at the 5,000-row limit.
        var row = $$"""{"directionId":1,"ownerId":{{owner}},"title":"Hostile row","deadline":"2026-12-31"}""";
        var rows = "[" + string.Join(",", Enumerable.Repeat(row, 100_000)) + "]";
        var json = await MeasureAsync(service, leadClient, Import(rows, "application/json"), "100,000 JSON rows");
        json["errors"]!["rows"]![0]!.GetValue<string>().Should().Be("An import takes at most 5000 rows; this one has 100000. Split it.");

        // Eight of each at once, as the probe sent them: the ceiling is that of their sum.
        await MeasureAsync(service, leadClient, [.. Enumerable.Range(0, 8).Select(_ => Import(names, "text/csv"))], "8 × 1,000,000 CSV column names at once");
        await MeasureAsync(service, leadClient, [.. Enumerable.Range(0, 8).Select(_ => Import(rows, "application/json"))], "8 × 100,000 JSON rows at once");

        // 5,000 rows each wrong in three fields: 15,000 errors, of which the first 100 fields are listed.
        var bad = "[" + string.Join(",", Enumerable.Repeat("""{"directionId":0,"ownerId":0,"deadline":"soon"}""", 5_000)) + "]";
        var errors = await MeasureAsync(service, leadClient, Import(bad, "application/json"), "5,000 invalid JSON rows");
        errors["errors"]!.AsObject().Should().HaveCount(100);
        errors["errorsNotListed"]!.GetValue<int>().Should().Be(20_000 - 100);

        // 10,000 items of a list that takes 50 (40 KB, under the body limit): refused by their count.
        var events = await MeasureAsync(service, service.Client, Webhook(10_000), "10,000 webhook events");
        events["errors"]!["events"]![0]!.GetValue<string>().Should().Be("'events' lists at most 50 entries.");

        // 100,000 of them (400 KB) are over the 64 KiB every body but an import's may weigh: refused unread.
        var heavy = await MeasureAsync(service, service.Client, Webhook(100_000), "100,000 webhook events");
        heavy["status"]!.GetValue<int>().Should().Be(413);

        // 64 clients at once, each with a 1 MB owner: refused by their Content-Length before they are read
        // (at the 1 MiB limit this held the process at about 470 MB).
        var owners = await MeasureAsync(service, service.Client, [.. Enumerable.Range(0, 64).Select(_ => new HttpRequestMessage(HttpMethod.Post, "/api/v1/owners")
        {
            Content = new StringContent($$"""{"name":"{{new string('x', 1_000_000)}}"}""", Encoding.UTF8, "application/json"),
        })], "64 × 1 MB owners at once");
        owners.Should().OnlyContain(problem => problem["status"]!.GetValue<int>() == 413);

        // Query repeats: past 4,096 characters the service answers a 414 problem before anything binds them;
        // a request line past Kestrel's 8 KiB is refused by Kestrel itself, a 414 without a body.
        var repeats = await MeasureAsync(service, service.Client,
            new HttpRequestMessage(HttpMethod.Get, "/api/v1/initiatives?" + string.Join("&", Enumerable.Repeat("status=planned", 400))), "400 query repeats");
        repeats["status"]!.GetValue<int>().Should().Be(414);
        using (var response = await service.Client.GetAsync("/api/v1/initiatives?" + string.Join("&", Enumerable.Repeat("status=planned", 100_000))))
        {
            _output.WriteLine($"100,000 query repeats: {(int)response.StatusCode} {response.Content.Headers.ContentType}");
            response.StatusCode.Should().Be(HttpStatusCode.RequestUriTooLong);
        }

        (await service.Client.GetAsync("/health/ready")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await service.Client.GetAsync("/api/v1/directions")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await service.Client.GetFromJsonAsync<JsonObject>("/api/v1/initiatives?pageSize=1"))!["totalCount"]!.GetValue<long>().Should().Be(0);
    }

    public void Dispose()
    {
        foreach (var file in new[] { _databaseFile, _databaseFile + "-wal", _databaseFile + "-shm" })
        {
            File.Delete(file);
        }
    }

    /// <summary>Sends the request and checks its answer and what it cost the process; returns the problem.</summary>
    private async Task<JsonObject> MeasureAsync(ServiceProcess service, HttpClient client, HttpRequestMessage request, string what) =>
        (await MeasureAsync(service, client, [request], what))[0];

    /// <summary>Sends the requests at once and checks each answer, and what they cost the process together.</summary>
    private async Task<JsonObject[]> MeasureAsync(ServiceProcess service, HttpClient client, HttpRequestMessage[] requests, string what)
    {
        long size = 0;
        foreach (var request in requests)
        {
            size += request.Content is null ? request.RequestUri!.OriginalString.Length : (await request.Content.ReadAsByteArrayAsync()).LongLength;
        }

        var (before, _) = service.Memory();
        var peakReset = service.ResetPeakMemory();
        var (_, peakBefore) = service.Memory();

        var answers = await Task.WhenAll(requests.Select(r => SendAsync(client, r)));

        var (after, peak) = service.Memory();
        var growth = after - before;
        var peakGrowth = peak - (peakReset ? before : Math.Max(before, peakBefore));
        _output.WriteLine($"{what}: {size / 1024} KB sent, answered {answers[0].Status} in {answers[0].Body.Length} bytes; "
            + $"resident {before / 1048576} → {after / 1048576} MB, peak +{peakGrowth / 1048576} MB (ceiling {Ceiling(size) / 1048576} MB)");

        foreach (var (status, mediaType, body) in answers)
        {
            ((int)status).Should().BeInRange(400, 499, what);
            mediaType.Should().Be("application/problem+json", what);
            body.Length.Should().BeLessThan(MaxProblemBytes, what);
        }

        growth.Should().BeLessThan(Ceiling(size), $"{what} must not grow the resident memory by more than {Ceiling(size)} bytes");
        peakGrowth.Should().BeLessThan(Ceiling(size), $"{what} must not raise the peak resident memory by more than {Ceiling(size)} bytes");
        return [.. answers.Select(a => JsonNode.Parse(a.Body)!.AsObject())];
    }

    private static async Task<(HttpStatusCode Status, string? MediaType, string Body)> SendAsync(HttpClient client, HttpRequestMessage request)
    {
        using var response = await client.SendAsync(request);
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync());
    }

    private static HttpRequestMessage Import(string body, string mediaType) =>
        new(HttpMethod.Post, "/api/v1/initiatives/import") { Content = new StringContent(body, Encoding.UTF8, mediaType) };

    private static HttpRequestMessage Webhook(int events) =>
        new(HttpMethod.Post, "/api/v1/webhooks")
        {
            Content = new StringContent(
                $$"""{"url":"https://hooks.example.com/hostile","events":[{{string.Join(",", Enumerable.Repeat("\"x\"", events))}}]}""",
                Encoding.UTF8, "application/json"),
        };
}
