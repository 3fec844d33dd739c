using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using InitiativeTracker.Benchmarks;
using Microsoft.Data.Sqlite;

// Benchmarks of the real service as a separate process, with the load generator on the same machine.
// Prints figures; it asserts nothing (machines here are shared and noisy: compare ratios within one run).
//
//   tests/benchmarks/run.sh [--initiatives 100000] [--check-ins 1000000] [--seconds 10] [--warmup 5] [--connections 32]

var options = Options.Parse(args);

Directory.CreateDirectory(options.DataFolder);
var today = DateOnly.FromDateTime(DateTime.UtcNow);
var dataFile = Path.Combine(options.DataFolder, $"bench-{options.Initiatives}-{options.CheckIns}-{today:yyyyMMdd}.db");

if (!File.Exists(dataFile))
{
    // The service itself creates and migrates an empty file; the generator then fills it in place.
    var building = dataFile + ".building";
    DeleteDatabase(building);
    await using (var server = await Server.StartAsync(options.ApiDll, building, options.Port))
    {
        Console.WriteLine($"start-up on an empty database: {server.StartupMilliseconds:F0} ms");
    }

    await DataGenerator.RunAsync(building, options.Initiatives, options.CheckIns, today);
    SqliteConnection.ClearAllPools();

    // Settle it as a running service would have: its first deadline scan records every overdue and
    // due-soon initiative once (tens of thousands of rows), which is not what a benchmark should measure.
    await using (var settling = await Server.StartAsync(options.ApiDll, building, options.Port))
    {
        await WaitForTheFirstScanAsync(building);
        await settling.StopAsync();
    }

    SqliteConnection.ClearAllPools();
    File.Move(building, dataFile);
    DeleteDatabase(building);
}

// A file generated earlier by a build with fewer migrations is migrated once here, by starting the
// service on it, so that the start-up measured below is never a migration's (an index over a million
// check-ins takes seconds); on a current file this start changes nothing.
await using (var migrating = await Server.StartAsync(options.ApiDll, dataFile, options.Port))
{
    await migrating.StopAsync();
}

SqliteConnection.ClearAllPools();

// Every run starts from the same file: the scenarios write (check-ins, audit entries), and a file that
// grew in earlier runs would make runs incomparable.
var runFile = Path.Combine(options.DataFolder, "bench-run.db");
DeleteDatabase(runFile);
File.Copy(dataFile, runFile);

await using var api = await Server.StartAsync(options.ApiDll, runFile, options.Port);
var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = options.Connections, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
{
    BaseAddress = new Uri($"http://127.0.0.1:{options.Port}"),
};
client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Server.AdminKey);

var (maxId, openIds, ownerCount) = ReadShape(runFile);
Console.WriteLine($"data: {maxId} initiatives ({openIds.Length} open), {ownerCount} owners; start-up: {api.StartupMilliseconds:F0} ms");
Console.WriteLine();

// Sequential latency (one connection): what one coordinator sees.
var firstPage = await Load.SequentialAsync(client, 200, _ => new HttpRequestMessage(HttpMethod.Get, "/api/v1/reports/overdue"));
var csv = await Load.SequentialAsync(client, 5, _ => new HttpRequestMessage(HttpMethod.Get, "/api/v1/reports/overdue?format=csv"));
Console.WriteLine("sequential latency (1 connection)      p50 ms   p95 ms   max ms");
Console.WriteLine($"overdue report, first page (200 runs)  {firstPage.P(50),7:F1}  {firstPage.P(95),7:F1}  {firstPage.Max,7:F1}");
Console.WriteLine($"overdue report, full CSV (5 runs)      {csv.P(50),7:F1}  {csv.P(95),7:F1}  {csv.Max,7:F1}   ({csv.Bytes / 1024.0 / 1024.0 / csv.Count:F1} MiB each)");
foreach (var groupBy in new[] { "direction", "owner", "taskForce" })
{
    // Grouped pages walk the groups through (group, deadline) indexes (migration 0012) rather than sort every row.
    var grouped = await Load.SequentialAsync(client, 100, _ => new HttpRequestMessage(HttpMethod.Get, $"/api/v1/reports/overdue?groupBy={groupBy}"));
    Console.WriteLine($"{$"overdue first page by {groupBy} (100 runs)",-38} {grouped.P(50),7:F1}  {grouped.P(95),7:F1}  {grouped.Max,7:F1}");
}

Console.WriteLine($"peak RSS so far: {api.PeakRssMegabytes():F0} MB");
Console.WriteLine();

// The trend: a year of weeks (357 days hold exactly 51 Sundays before `to`, so 52 points), rebuilt from
// the whole history in one pass; everything, then a series per direction. Issue 15's targets: 1 s, 1.5 s.
var trendRange = $"from={today.AddDays(-357):yyyy-MM-dd}&to={today:yyyy-MM-dd}&interval=week";
var trend = await Load.SequentialAsync(client, 5, _ => new HttpRequestMessage(HttpMethod.Get, $"/api/v1/reports/trend?{trendRange}"));
var trendByDirection = await Load.SequentialAsync(client, 5, _ => new HttpRequestMessage(HttpMethod.Get, $"/api/v1/reports/trend?{trendRange}&groupBy=direction"));
Console.WriteLine("sequential latency (1 connection)      p50 ms   p95 ms   max ms   non-2xx");
Console.WriteLine($"trend, 52 weekly points (5 runs)       {trend.P(50),7:F1}  {trend.P(95),7:F1}  {trend.Max,7:F1}  {trend.Failures,8}");
Console.WriteLine($"trend by direction, 52 points (5 runs) {trendByDirection.P(50),7:F1}  {trendByDirection.P(95),7:F1}  {trendByDirection.Max,7:F1}  {trendByDirection.Failures,8}");
Console.WriteLine($"peak RSS so far: {api.PeakRssMegabytes():F0} MB");
Console.WriteLine();

// Throughput at N connections, each as a ratio to /health/live measured in the same run.
var seconds = TimeSpan.FromSeconds(options.Seconds);
var scenarios = new (string Name, Func<Random, HttpRequestMessage> Request)[]
{
    ("GET /health/live", _ => new HttpRequestMessage(HttpMethod.Get, "/health/live")),
    ("GET one initiative", r => new HttpRequestMessage(HttpMethod.Get, $"/api/v1/initiatives/{r.NextInt64(1, maxId + 1)}")),
    ("GET filtered list page", r => new HttpRequestMessage(HttpMethod.Get,
        $"/api/v1/initiatives?ownerId={r.Next(1, ownerCount + 1)}&status=in_progress&status=blocked&sort=-updatedAt&pageSize=50")),
    ("GET overdue report page", _ => new HttpRequestMessage(HttpMethod.Get, "/api/v1/reports/overdue")),
    ("GET upcoming report page", _ => new HttpRequestMessage(HttpMethod.Get, "/api/v1/reports/upcoming?withinDays=30")),
    ("GET overdue report page by direction", _ => new HttpRequestMessage(HttpMethod.Get, "/api/v1/reports/overdue?groupBy=direction")),
    ("GET overdue report page by owner", _ => new HttpRequestMessage(HttpMethod.Get, "/api/v1/reports/overdue?groupBy=owner")),
    ("GET overdue report page by task force", _ => new HttpRequestMessage(HttpMethod.Get, "/api/v1/reports/overdue?groupBy=taskForce")),
    ("GET upcoming report page by owner", _ => new HttpRequestMessage(HttpMethod.Get, "/api/v1/reports/upcoming?withinDays=30&groupBy=owner")),
    ("POST check-in", r => new HttpRequestMessage(HttpMethod.Post, $"/api/v1/initiatives/{openIds[r.Next(openIds.Length)]}/check-ins")
    {
        Content = new StringContent($$"""{"progress":{{r.Next(0, 100)}},"health":"on_track","note":"benchmark"}""", Encoding.UTF8, "application/json"),
    }),
};

// Warm-up: every scenario runs unmeasured first, so tiered compilation has settled for all of them
// (middleware shared by every route included) before any is measured; otherwise the first scenarios
// measured, /health/live among them, run partly on unoptimized code and every ratio to it is skewed.
// On two busy cores the JIT's background tier-up lags the load, hence seconds rather than a few requests.
foreach (var (_, request) in scenarios)
{
    await Load.ClosedLoopAsync(client, options.Connections, TimeSpan.FromSeconds(options.WarmupSeconds), request);
}

Console.WriteLine($"peak RSS after the warm-up: {api.PeakRssMegabytes():F0} MB");

Console.WriteLine($"throughput ({options.Connections} connections, {options.Seconds} s each)   req/s   p50 ms   p99 ms   vs live   non-2xx   peak RSS");
double? live = null;
foreach (var (name, request) in scenarios)
{
    var result = await Load.ClosedLoopAsync(client, options.Connections, seconds, request);
    live ??= result.RequestsPerSecond;
    Console.WriteLine($"{name,-42} {result.RequestsPerSecond,8:F0}  {result.P(50),7:F1}  {result.P(99),7:F1}  {result.RequestsPerSecond / live.Value,7:P0}  {result.Failures,8}  {api.PeakRssMegabytes(),6:F0} MB");
}

Console.WriteLine();
Console.WriteLine($"peak RSS of the service: {api.PeakRssMegabytes():F0} MB");

static (long MaxId, long[] OpenIds, int Owners) ReadShape(string file)
{
    using var connection = new SqliteConnection($"Data Source={file};Mode=ReadOnly;Pooling=False");
    connection.Open();
    using var command = connection.CreateCommand();
    command.CommandText = "SELECT MAX(id), (SELECT COUNT(*) FROM owners) FROM initiatives;";
    using (var reader = command.ExecuteReader())
    {
        reader.Read();
        var max = reader.GetInt64(0);
        var owners = reader.GetInt32(1);
        reader.Close();
        command.CommandText = "SELECT id FROM initiatives WHERE status IN ('planned', 'in_progress', 'blocked') ORDER BY id LIMIT 5000;";
        var open = new List<long>();
        using var ids = command.ExecuteReader();
        while (ids.Read())
        {
            open.Add(ids.GetInt64(0));
        }

        return (max, open.ToArray(), owners);
    }
}

static async Task WaitForTheFirstScanAsync(string file)
{
    long last = -1;
    for (var waited = 0; waited < 120; waited++)
    {
        await Task.Delay(1000);
        using var connection = new SqliteConnection($"Data Source={file};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM webhook_deadline_events;";
        var count = (long)command.ExecuteScalar()!;
        if (count > 0 && count == last)
        {
            return;
        }

        last = count;
    }
}

static void DeleteDatabase(string file)
{
    foreach (var path in new[] { file, file + "-wal", file + "-shm" })
    {
        File.Delete(path);
    }
}

internal sealed record Options(int Initiatives, int CheckIns, int Seconds, int WarmupSeconds, int Connections, string DataFolder, string ApiDll, int Port)
{
    public static Options Parse(string[] args)
    {
        string Value(string name, string fallback)
        {
            var index = Array.IndexOf(args, name);
            return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
        }

        var root = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../.."));
        return new Options(
            int.Parse(Value("--initiatives", "100000"), CultureInfo.InvariantCulture),
            int.Parse(Value("--check-ins", "1000000"), CultureInfo.InvariantCulture),
            int.Parse(Value("--seconds", "10"), CultureInfo.InvariantCulture),
            int.Parse(Value("--warmup", "5"), CultureInfo.InvariantCulture),
            int.Parse(Value("--connections", "32"), CultureInfo.InvariantCulture),
            Value("--data", Path.Combine(Path.GetTempPath(), "initiative-tracker-bench")),
            Value("--api", Path.Combine(root, "src/InitiativeTracker.Api/bin/Release/net10.0/InitiativeTracker.Api.dll")),
            int.Parse(Value("--port", "5099"), CultureInfo.InvariantCulture));
    }
}
