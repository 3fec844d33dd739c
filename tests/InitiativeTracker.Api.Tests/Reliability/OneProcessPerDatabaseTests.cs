using System.Net;
using System.Net.Http.Json;
using InitiativeTracker.Api.Infrastructure;
using InitiativeTracker.Api.Infrastructure.Database;
using InitiativeTracker.Api.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace InitiativeTracker.Api.Tests.Reliability;

/// <summary>
/// Two real processes on one database file: the second refuses to serve, the first is not disturbed, and
/// the command-line verbs still run beside it.
/// </summary>
[Trait("Category", "Hostile")]
public sealed class OneProcessPerDatabaseTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("initiative-tracker-one-process-").FullName;

    private string DatabaseFile => Path.Combine(_folder, "tracker.db");

    [Fact]
    public async Task ASecondServiceOnTheSameFileRefusesToStartWithOneLineWhileTheFirstKeepsServing()
    {
        await using var first = await ServiceProcess.StartAsync(DatabaseFile);
        (await first.Client.PostAsJsonAsync("/api/v1/owners", new { name = "Before the second start" })).StatusCode.Should().Be(HttpStatusCode.Created);

        var (exitCode, output, error) = await ServiceProcess.RunUntilExitAsync(DatabaseFile, "--Tracker:BootstrapAdminKey", "another-admin-key-0123456789");

        exitCode.Should().Be(StartupSettings.ExitCode, error);
        error.Trim().Split('\n').Should().ContainSingle().Which.Should()
            .Contain("Another process is already serving").And.Contain(DatabaseFile).And.Contain("one process serves one database");
        output.Should().NotContain("Now listening").And.NotContain("Applied migration");
        first.HasExited.Should().BeFalse();
        (await first.Client.GetAsync("/health/ready")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await first.Client.PostAsJsonAsync("/api/v1/owners", new { name = "After the second start" })).StatusCode.Should().Be(HttpStatusCode.Created);
        var owners = await first.Client.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>("/api/v1/owners?q=second start");
        owners!["totalCount"]!.GetValue<long>().Should().Be(2);
    }

    [Fact]
    public async Task CreateKeyAndBackupRunBesideTheServingProcess()
    {
        await using var service = await ServiceProcess.StartAsync(DatabaseFile);

        var (keyExit, key, keyError) = await ServiceProcess.RunVerbAsync(DatabaseFile, "create-key", "--name", "Minted beside the service", "--role", "viewer");
        var copy = Path.Combine(_folder, "copy.db");
        var (backupExit, _, backupError) = await ServiceProcess.RunVerbAsync(DatabaseFile, "backup", copy);

        keyExit.Should().Be(0, keyError);
        (await service.CreateClient(key.Trim()).GetAsync("/api/v1/meetings")).StatusCode.Should().Be(HttpStatusCode.OK);
        backupExit.Should().Be(0, backupError);
        File.Exists(copy).Should().BeTrue();
        (await service.Client.GetAsync("/health/ready")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task TheLockGoesWithTheProcessWhetherItStopsOrIsKilled()
    {
        var killed = await ServiceProcess.StartAsync(DatabaseFile);
        await killed.KillAsync();
        await killed.DisposeAsync();

        var stopped = await ServiceProcess.StartAsync(DatabaseFile);
        await stopped.TerminateAsync(TimeSpan.FromSeconds(30));
        stopped.ExitCode.Should().Be(0, stopped.Output);
        await stopped.DisposeAsync();

        await using var last = await ServiceProcess.StartAsync(DatabaseFile);
        (await last.Client.GetAsync("/health/ready")).StatusCode.Should().Be(HttpStatusCode.OK);
        File.Exists(DatabaseFile + DatabaseLock.Suffix).Should().BeTrue("the lock file stays; only the lock on it is released");
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
