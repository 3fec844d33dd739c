using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Dapper;
using InitiativeTracker.Api.Infrastructure.Database;
using InitiativeTracker.Api.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace InitiativeTracker.Api.Tests.Reliability;

/// <summary>
/// 32 clients mixing check-ins, edits and reports against the real service for a sustained period:
/// no 5xx, no "database is locked", and every acknowledged write accounted for.
/// </summary>
[Trait("Category", "Load")]
public sealed class ConcurrencyTests : IDisposable
{
    private const int Clients = 32;
    private const int Initiatives = 6;
    private static readonly TimeSpan s_duration = TimeSpan.FromSeconds(4);

    private readonly string _databaseFile = Path.Combine(Path.GetTempPath(), "initiative-tracker-tests", $"load-{Guid.NewGuid():N}.db");

    public ConcurrencyTests() => Directory.CreateDirectory(Path.GetDirectoryName(_databaseFile)!);

    [Fact]
    public async Task ThirtyTwoClientsMixingWritesAndReportsLoseNothingAndNeverFail()
    {
        await using var service = await ServiceProcess.StartAsync(_databaseFile);
        var owner = await (await service.Client.PostAsJsonAsync("/api/v1/owners", new { name = "Load owner" })).Content.ReadFromJsonAsync<JsonObject>();
        var initiatives = await Task.WhenAll(Enumerable.Range(0, Initiatives).Select(async i =>
        {
            var created = await service.Client.PostAsJsonAsync("/api/v1/initiatives",
                new { directionId = 1 + (i % 3), ownerId = owner!["id"]!.GetValue<long>(), title = $"Load initiative {i}", deadline = "2020-01-01" });
            return (await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<long>();
        }));

        var checkIns = new ConcurrentDictionary<long, int>();
        var edits = new ConcurrentDictionary<long, int>();
        var failures = new ConcurrentBag<string>();
        var requests = 0;
        var deadline = DateTime.UtcNow + s_duration;

        await Task.WhenAll(Enumerable.Range(0, Clients).Select(c => Task.Run(async () =>
        {
            using var client = service.CreateClient();
            for (var i = 0; DateTime.UtcNow < deadline; i++)
            {
                var initiative = initiatives[(c + i) % initiatives.Length];
                var kind = (c + i) % 4;
                var response = kind switch
                {
                    0 => await client.PostAsJsonAsync($"/api/v1/initiatives/{initiative}/check-ins", new { progress = i % 101, health = "at_risk" }),
                    1 => await client.PatchAsync($"/api/v1/initiatives/{initiative}", new StringContent(
                        $$"""{"description":"edit {{c}}-{{i}}"}""", Encoding.UTF8, "application/merge-patch+json")),
                    2 => await client.GetAsync("/api/v1/reports/overdue?groupBy=owner"),
                    _ => await client.GetAsync($"/api/v1/initiatives?ownerId={owner!["id"]}&sort=-updatedAt"),
                };
                Interlocked.Increment(ref requests);
                var body = await response.Content.ReadAsStringAsync();
                if (!response.IsSuccessStatusCode || body.Contains("locked", StringComparison.OrdinalIgnoreCase))
                {
                    failures.Add($"{response.RequestMessage!.Method} {response.RequestMessage.RequestUri}: {(int)response.StatusCode} {body}");
                    continue;
                }

                if (kind == 0)
                {
                    checkIns.AddOrUpdate(initiative, 1, (_, n) => n + 1);
                }
                else if (kind == 1)
                {
                    edits.AddOrUpdate(initiative, 1, (_, n) => n + 1);
                }
            }
        })));

        failures.Should().BeEmpty();
        requests.Should().BeGreaterThan(Clients * 4, "the clients must have run for the whole period");
        await using var connection = new SqliteConnection($"Data Source={_databaseFile};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        foreach (var initiative in initiatives)
        {
            var rows = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM check_ins WHERE initiative_id = @initiative;", new { initiative });
            var version = await connection.ExecuteScalarAsync<long>("SELECT version FROM initiatives WHERE id = @initiative;", new { initiative });
            rows.Should().Be(checkIns.GetValueOrDefault(initiative), "every acknowledged check-in is stored, and only those");
            version.Should().Be(1 + checkIns.GetValueOrDefault(initiative) + edits.GetValueOrDefault(initiative), "no update was lost");
        }
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
