using Dapper;
using InitiativeTracker.Api.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace InitiativeTracker.Api.Tests.Reliability;

/// <summary>
/// What <c>deploy/</c> ships: the systemd units pass <c>systemd-analyze verify</c>, and the backup script takes
/// a good copy with the <c>backup</c> verb and keeps only the copies younger than its retention.
/// </summary>
[Trait("Category", "Hostile")]
public sealed class DeployUnitTests : IDisposable
{
    private const string InstallPrefix = "/opt/initiative-tracker";

    private static readonly string s_deploy = Path.Combine(Repository.Root, "deploy");

    private readonly string _folder = Directory.CreateTempSubdirectory("initiative-tracker-deploy-units-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task SystemdUnitsVerify()
    {
        // As installed, with the install directory under the test's own folder: verify checks that the commands exist.
        var install = Directory.CreateDirectory(Path.Combine(_folder, "opt", "initiative-tracker")).FullName;
        Directory.CreateDirectory(Path.Combine(install, "deploy"));
        File.Copy(Path.Combine(s_deploy, "backup.sh"), Path.Combine(install, "deploy", "backup.sh"));
        File.Copy(Path.Combine(AppContext.BaseDirectory, "InitiativeTracker.Api"), Path.Combine(install, "InitiativeTracker.Api"));
        var units = new List<string>();
        foreach (var unit in new[] { "initiative-tracker.service", "initiative-tracker-backup.service", "initiative-tracker-backup.timer" })
        {
            var text = await File.ReadAllTextAsync(Path.Combine(s_deploy, unit));
            var path = Path.Combine(_folder, unit);
            await File.WriteAllTextAsync(path, text.Replace(InstallPrefix, install, StringComparison.Ordinal));
            units.Add(path);
        }

        // Present on CI's machine (systemd 252): a missing systemd-analyze fails here, it is not skipped.
        var (code, output) = await Commands.RunAsync("systemd-analyze", ["verify", .. units]);
        code.Should().Be(0, output);
        output.Should().BeEmpty("an unknown key or a bad value is only a warning, and the units should have none");
    }

    [Fact]
    public async Task BackupScriptTakesACopyAndKeepsOnlyTheRetainedOnes()
    {
        var databaseFile = Path.Combine(_folder, "tracker.db");
        var backups = Directory.CreateDirectory(Path.Combine(_folder, "backups")).FullName;
        var old = Path.Combine(backups, "tracker-20200101T000000Z.db");
        var recent = Path.Combine(backups, "tracker-20990101T000000Z.db");
        var unrelated = Path.Combine(backups, "notes.txt");
        foreach (var file in new[] { old, recent, unrelated })
        {
            await File.WriteAllTextAsync(file, "x");
            File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddDays(file == recent ? -2 : -30));
        }

        await using (var service = await ServiceProcess.StartAsync(databaseFile))
        {
            var (code, output) = await RunScriptAsync(databaseFile, backups);
            code.Should().Be(0, output);
        }

        File.Exists(old).Should().BeFalse("it is older than the 14 days kept");
        File.Exists(recent).Should().BeTrue();
        File.Exists(unrelated).Should().BeTrue("only the script's own copies are deleted");
        var copy = Directory.GetFiles(backups, "tracker-*.db").Should().ContainSingle(f => f != recent).Which;
        await using var connection = new SqliteConnection($"Data Source={copy};Mode=ReadOnly;Pooling=False");
        (await connection.ExecuteScalarAsync<string>("PRAGMA integrity_check;")).Should().Be("ok");
        (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM directions;")).Should().Be(3);
    }

    [Fact]
    public async Task AFailedBackupDeletesNothing()
    {
        var backups = Directory.CreateDirectory(Path.Combine(_folder, "backups")).FullName;
        var old = Path.Combine(backups, "tracker-20200101T000000Z.db");
        await File.WriteAllTextAsync(old, "x");
        File.SetLastWriteTimeUtc(old, DateTime.UtcNow.AddDays(-30));

        var (code, output) = await RunScriptAsync(Path.Combine(_folder, "no-such.db"), backups);

        code.Should().NotBe(0, output);
        output.Should().Contain("There is no database at");
        File.Exists(old).Should().BeTrue("a failed run must not eat the last good copies");
    }

    private static Task<(int Code, string Output)> RunScriptAsync(string databaseFile, string backups) =>
        Commands.RunAsync("sh", [Path.Combine(s_deploy, "backup.sh")], new Dictionary<string, string>
        {
            ["TRACKER"] = $"dotnet {ServiceProcess.ApiDll}",
            ["TRACKER_DATABASE"] = databaseFile,
            ["BACKUP_DIR"] = backups,
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
        });
}
