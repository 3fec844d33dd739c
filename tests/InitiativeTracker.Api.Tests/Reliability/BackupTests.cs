using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dapper;
using InitiativeTracker.Api.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace InitiativeTracker.Api.Tests.Reliability;

[Trait("Category", "Crash")]
public sealed class BackupTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "initiative-tracker-tests", $"backup-{Guid.NewGuid():N}");

    public BackupTests() => Directory.CreateDirectory(_folder);

    private string DatabaseFile => Path.Combine(_folder, "tracker.db");

    [Fact]
    public async Task BackupOfTheLiveDatabaseHoldsEveryWriteAcknowledgedBeforeItStartedAndPassesIntegrityCheck()
    {
        await using var service = await ServiceProcess.StartAsync(DatabaseFile);
        var acknowledged = new ConcurrentDictionary<long, string>();
        using var stop = new CancellationTokenSource();
        var writers = Enumerable.Range(0, 6).Select(w => Task.Run(async () =>
        {
            using var client = service.CreateClient();
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var name = $"Backup owner {w}-{i}";
                var response = await client.PostAsJsonAsync("/api/v1/owners", new { name });
                response.EnsureSuccessStatusCode();
                acknowledged[(await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<long>()] = name;
            }
        })).ToArray();

        // Until some writes are acknowledged (a fixed delay was too short on a loaded machine), then a bit more.
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (acknowledged.Count < 20 && waited.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(50);
        }

        await Task.Delay(200);
        var beforeBackup = acknowledged.ToDictionary();
        var copy = Path.Combine(_folder, "copy.db");
        var (exitCode, output, error) = await ServiceProcess.RunVerbAsync(DatabaseFile, "backup", copy);
        await Task.Delay(200);
        await stop.CancelAsync();
        await Task.WhenAll(writers);

        exitCode.Should().Be(0, error);
        output.Trim().Should().Be(copy);
        beforeBackup.Should().NotBeEmpty();
        await using var connection = new SqliteConnection($"Data Source={copy};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        (await connection.ExecuteScalarAsync<string>("PRAGMA integrity_check;")).Should().Be("ok");
        var stored = (await connection.QueryAsync<(long Id, string Name)>("SELECT id, name FROM owners;")).ToDictionary(o => o.Id, o => o.Name);
        stored.Should().Contain(beforeBackup);
        (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM schema_versions;")).Should().BeGreaterThan(0);
    }

    [Fact]
    public async Task RestoredCopyServesLikeTheOriginal()
    {
        await using (var service = await ServiceProcess.StartAsync(DatabaseFile))
        {
            (await service.Client.PostAsJsonAsync("/api/v1/owners", new { name = "Kept across a restore" })).EnsureSuccessStatusCode();
        }

        var copy = Path.Combine(_folder, "restore.db");
        (await ServiceProcess.RunVerbAsync(DatabaseFile, "backup", copy)).ExitCode.Should().Be(0);

        await using var restored = await ServiceProcess.StartAsync(copy);
        var owners = await restored.Client.GetFromJsonAsync<JsonObject>("/api/v1/owners?q=restore");
        owners!["items"]!.AsArray().Select(o => o!["name"]!.GetValue<string>()).Should().Equal("Kept across a restore");
    }

    [Fact]
    public async Task RefusesToOverwriteAnExistingFile()
    {
        await using (await ServiceProcess.StartAsync(DatabaseFile))
        {
        }

        var existing = Path.Combine(_folder, "existing.db");
        await File.WriteAllTextAsync(existing, "keep me");

        var (exitCode, _, error) = await ServiceProcess.RunVerbAsync(DatabaseFile, "backup", existing);

        exitCode.Should().Be(1);
        error.Should().Contain("already exists");
        (await File.ReadAllTextAsync(existing)).Should().Be("keep me");
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
