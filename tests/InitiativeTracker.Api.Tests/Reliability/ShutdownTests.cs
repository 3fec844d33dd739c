using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dapper;
using InitiativeTracker.Api.Infrastructure.Database;
using InitiativeTracker.Api.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace InitiativeTracker.Api.Tests.Reliability;

[Trait("Category", "Crash")]
public sealed class ShutdownTests : IDisposable
{
    private readonly string _databaseFile = Path.Combine(Path.GetTempPath(), "initiative-tracker-tests", $"shutdown-{Guid.NewGuid():N}.db");

    public ShutdownTests() => Directory.CreateDirectory(Path.GetDirectoryName(_databaseFile)!);

    [Fact]
    public async Task SigtermFinishesInFlightRequestsAndClosesTheDatabaseCleanly()
    {
        var service = await ServiceProcess.StartAsync(_databaseFile);
        var owner = await (await service.Client.PostAsJsonAsync("/api/v1/owners", new { name = "Shutdown owner" })).Content.ReadFromJsonAsync<JsonObject>();
        var initiative = await (await service.Client.PostAsJsonAsync("/api/v1/initiatives",
            new { directionId = 1, ownerId = owner!["id"]!.GetValue<long>(), title = "Shutdown initiative", deadline = "2027-01-01" })).Content.ReadFromJsonAsync<JsonObject>();
        var id = initiative!["id"]!.GetValue<long>();

        var acknowledged = new ConcurrentBag<long>();
        var serverErrors = new ConcurrentBag<string>();
        using var stop = new CancellationTokenSource();
        var writers = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            using var client = service.CreateClient();
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    var response = await client.PostAsJsonAsync($"/api/v1/initiatives/{id}/check-ins", new { progress = w * 10, health = "on_track" });
                    if (response.IsSuccessStatusCode)
                    {
                        acknowledged.Add((await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<long>());
                    }
                    else if ((int)response.StatusCode >= 500)
                    {
                        serverErrors.Add(await response.Content.ReadAsStringAsync());
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
                {
                    // The listener has closed: requests after the shutdown began are refused.
                    return;
                }
            }
        })).ToArray();

        await Task.Delay(600);
        await service.TerminateAsync(TimeSpan.FromSeconds(30));
        await stop.CancelAsync();
        await Task.WhenAll(writers);

        service.ExitCode.Should().Be(0, service.Output);
        serverErrors.Should().BeEmpty();
        acknowledged.Should().NotBeEmpty();
        var wal = new FileInfo(_databaseFile + "-wal");
        (wal.Exists ? wal.Length : 0).Should().Be(0, "the WAL is checkpointed into the database, and removed, on a clean shutdown");
        await service.DisposeAsync();

        await using var connection = new SqliteConnection($"Data Source={_databaseFile};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        (await connection.ExecuteScalarAsync<string>("PRAGMA integrity_check;")).Should().Be("ok");
        var stored = (await connection.QueryAsync<long>("SELECT id FROM check_ins;")).ToHashSet();
        stored.Should().Contain(acknowledged);
    }

    [Fact]
    public async Task WritesOneStructuredJsonLinePerRequestNamingTheKeyNotItsSecret()
    {
        await using var service = await ServiceProcess.StartAsync(_databaseFile,
            "--Logging:Console:FormatterName", "json",
            "--Logging:LogLevel:InitiativeTracker.Api.Infrastructure.Http.RequestLogging", "Information");

        (await service.Client.GetAsync("/api/v1/directions/2")).StatusCode.Should().Be(HttpStatusCode.OK);
        await service.TerminateAsync(TimeSpan.FromSeconds(30));

        var line = service.Output.Split('\n').Single(l => l.Contains("/api/v1/directions/{id:long}", StringComparison.Ordinal));
        var entry = JsonNode.Parse(line)!;
        var state = entry["State"]!;
        state["Method"]!.GetValue<string>().Should().Be("GET");
        state["Route"]!.GetValue<string>().Should().Be("/api/v1/directions/{id:long}");
        state["Status"]!.GetValue<int>().Should().Be(200);
        state["DurationMs"]!.GetValue<double>().Should().BeGreaterThanOrEqualTo(0);
        state["KeyName"]!.GetValue<string>().Should().Be("bootstrap");
        service.Output.Should().NotContain(ServiceProcess.AdminKey);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { _databaseFile, _databaseFile + "-wal", _databaseFile + "-shm", _databaseFile + DatabaseLock.Suffix })
        {
            File.Delete(file);
        }
    }
}
