using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dapper;
using InitiativeTracker.Api.Infrastructure.Database;
using InitiativeTracker.Api.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace InitiativeTracker.Api.Tests.Reliability;

/// <summary>
/// Kills the real service with SIGKILL in the middle of concurrent writes, restarts it on the same
/// file, and proves every acknowledged (2xx) write is there, every write is whole, and the file is intact.
/// </summary>
[Trait("Category", "Crash")]
public sealed class CrashSafetyTests : IDisposable
{
    private const int Rounds = 3;
    private const int Writers = 16;
    private const int Initiatives = 8;

    private readonly string _databaseFile = Path.Combine(Path.GetTempPath(), "initiative-tracker-tests", $"crash-{Guid.NewGuid():N}.db");

    public CrashSafetyTests() => Directory.CreateDirectory(Path.GetDirectoryName(_databaseFile)!);

    [Fact]
    public async Task EveryAcknowledgedWriteSurvivesSigkillMidStream()
    {
        var ownerIds = new ConcurrentDictionary<long, string>();
        var checkIns = new ConcurrentDictionary<long, (long Initiative, int Progress)>();
        long[] initiatives;

        await using (var first = await ServiceProcess.StartAsync(_databaseFile))
        {
            var owner = await first.Client.PostAsJsonAsync("/api/v1/owners", new { name = "Crash owner" });
            var ownerId = (await owner.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<long>();
            initiatives = await Task.WhenAll(Enumerable.Range(0, Initiatives).Select(async i =>
            {
                var created = await first.Client.PostAsJsonAsync("/api/v1/initiatives",
                    new { directionId = 1, ownerId, title = $"Crash initiative {i}", deadline = "2027-01-01" });
                return (await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<long>();
            }));
            await first.KillAsync();
        }

        for (var round = 1; round <= Rounds; round++)
        {
            await using var service = await ServiceProcess.StartAsync(_databaseFile);
            await AssertIntactAsync(service, ownerIds, checkIns, initiatives);

            using var stop = new CancellationTokenSource();
            var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
            {
                using var client = service.CreateClient();
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    try
                    {
                        if (i % 2 == 0)
                        {
                            var name = $"Owner r{round} w{w} #{i}";
                            var response = await client.PostAsJsonAsync("/api/v1/owners", new { name });
                            if (response.IsSuccessStatusCode)
                            {
                                ownerIds[(await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<long>()] = name;
                            }
                        }
                        else
                        {
                            var initiative = initiatives[(w + i) % initiatives.Length];
                            var progress = (w * 7 + i) % 101;
                            var response = await client.PostAsJsonAsync($"/api/v1/initiatives/{initiative}/check-ins",
                                new { progress, health = "on_track" });
                            if (response.IsSuccessStatusCode)
                            {
                                checkIns[(await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<long>()] = (initiative, progress);
                            }
                        }
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException or System.Text.Json.JsonException)
                    {
                        // The process died mid-request: this write was never acknowledged.
                        return;
                    }
                }
            })).ToArray();

            await Task.Delay(TimeSpan.FromMilliseconds(800 + (round * 300)));
            await service.KillAsync();
            await stop.CancelAsync();
            await Task.WhenAll(writers);
        }

        await using var last = await ServiceProcess.StartAsync(_databaseFile);
        await AssertIntactAsync(last, ownerIds, checkIns, initiatives);
        checkIns.Should().NotBeEmpty("writers must have had writes acknowledged before each kill");
    }

    [Fact]
    public async Task RetriesWithTheirIdempotencyKeysWriteExactlyOnceAcrossSigkill()
    {
        // Every request ever sent, by key: its body and the owner id of its first 2xx answer, if one arrived.
        var sent = new ConcurrentDictionary<string, (string Name, long? Id)>();
        for (var round = 1; round <= Rounds; round++)
        {
            await using (var service = await ServiceProcess.StartAsync(_databaseFile))
            {
                // First the requests the last kill cut off, retried with their keys: each must now succeed.
                foreach (var (key, (name, id)) in sent.Where(s => s.Value.Id is null))
                {
                    var retried = await PostOwnerAsync(service.Client, key, name);
                    retried.StatusCode.Should().Be(HttpStatusCode.Created, $"a retry of '{name}' after the crash runs, or replays");
                    sent[key] = (name, await IdOfAsync(retried));
                }

                using var stop = new CancellationTokenSource();
                var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
                {
                    using var client = service.CreateClient();
                    for (var i = 0; !stop.IsCancellationRequested; i++)
                    {
                        var key = Guid.NewGuid().ToString();
                        var name = $"Keyed owner r{round} w{w} #{i}";
                        sent[key] = (name, null);
                        try
                        {
                            var response = await PostOwnerAsync(client, key, name);
                            if (response.IsSuccessStatusCode)
                            {
                                sent[key] = (name, await IdOfAsync(response));
                            }
                        }
                        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException or System.Text.Json.JsonException)
                        {
                            return;
                        }
                    }
                })).ToArray();

                await Task.Delay(TimeSpan.FromMilliseconds(600 + (round * 300)));
                await service.KillAsync();
                await stop.CancelAsync();
                await Task.WhenAll(writers);
            }
        }

        await using var last = await ServiceProcess.StartAsync(_databaseFile);
        foreach (var (key, (name, id)) in sent)
        {
            var again = await PostOwnerAsync(last.Client, key, name);
            again.StatusCode.Should().Be(HttpStatusCode.Created);
            if (id is not null)
            {
                again.Headers.GetValues("Idempotent-Replayed").Should().Equal("true");
                (await IdOfAsync(again)).Should().Be(id.Value, $"the retry of '{name}' replays the first answer");
            }
        }

        await using var connection = new SqliteConnection($"Data Source={_databaseFile};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        (await connection.ExecuteScalarAsync<string>("PRAGMA integrity_check;")).Should().Be("ok");
        var stored = (await connection.QueryAsync<string>("SELECT name FROM owners WHERE name LIKE 'Keyed owner %';")).ToList();
        stored.Should().OnlyHaveUniqueItems("no retried request wrote twice")
            .And.BeEquivalentTo(sent.Values.Select(s => s.Name), "every request, acknowledged or retried, wrote once");
        sent.Values.Should().Contain(s => s.Id == null, "some requests must have been cut off by a kill for the retries to prove anything");
    }

    private static Task<HttpResponseMessage> PostOwnerAsync(HttpClient client, string key, string name)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/owners") { Content = JsonContent.Create(new { name }) };
        request.Headers.Add("Idempotency-Key", key);
        return client.SendAsync(request);
    }

    private static async Task<long> IdOfAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<long>();

    private async Task AssertIntactAsync(
        ServiceProcess service,
        ConcurrentDictionary<long, string> ownerIds,
        ConcurrentDictionary<long, (long Initiative, int Progress)> checkIns,
        long[] initiatives)
    {
        await using var connection = new SqliteConnection($"Data Source={_databaseFile};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        (await connection.ExecuteScalarAsync<string>("PRAGMA integrity_check;")).Should().Be("ok");
        (await connection.QueryAsync("PRAGMA foreign_key_check;")).Should().BeEmpty();

        var storedOwners = (await connection.QueryAsync<(long Id, string Name)>("SELECT id, name FROM owners;")).ToDictionary(o => o.Id, o => o.Name);
        foreach (var (id, name) in ownerIds)
        {
            storedOwners.Should().ContainKey(id).WhoseValue.Should().Be(name);
        }

        var storedCheckIns = (await connection.QueryAsync<(long Id, long Initiative, long Progress)>(
            "SELECT id, initiative_id, progress FROM check_ins;")).ToDictionary(c => c.Id);
        foreach (var (id, (initiative, progress)) in checkIns)
        {
            storedCheckIns.Should().ContainKey(id);
            storedCheckIns[id].Should().Be((id, initiative, (long)progress));
        }

        // Every check-in is whole: the initiative's version counts its check-ins, and its progress is the last one's.
        foreach (var initiative in initiatives)
        {
            var (version, progress) = await connection.QuerySingleAsync<(long, long)>(
                "SELECT version, progress FROM initiatives WHERE id = @initiative;", new { initiative });
            var mine = storedCheckIns.Values.Where(c => c.Initiative == initiative).OrderBy(c => c.Id).ToList();
            version.Should().Be(1 + mine.Count);
            progress.Should().Be(mine.Count == 0 ? 0 : mine[^1].Progress);
        }

        var live = await service.Client.GetAsync("/health/ready");
        live.StatusCode.Should().Be(HttpStatusCode.OK);
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
