using System.Net;
using InitiativeTracker.Api.Infrastructure.Database;
using InitiativeTracker.Api.Tests.Infrastructure;

namespace InitiativeTracker.Api.Tests.Reliability;

/// <summary>
/// The service started as deployed, from a directory that is not its own (<c>cd /srv &amp;&amp; dotnet /opt/tracker/InitiativeTracker.Api.dll</c>):
/// it reads the settings files beside its dll, not those of the directory it was started from, unless a
/// content root is given. A setting that only one file holds (a CORS origin) shows which file was read.
/// </summary>
[Trait("Category", "Hostile")]
public sealed class DeploymentTests : IDisposable
{
    private const string InstallOrigin = "https://from-the-install-directory.example";
    private const string ShellOrigin = "https://from-the-shell-directory.example";

    private readonly string _folder = Directory.CreateTempSubdirectory("initiative-tracker-deploy-").FullName;
    private readonly string _environment = $"Deploy{Guid.NewGuid():N}";

    private string InstallSettings => Path.Combine(AppContext.BaseDirectory, $"appsettings.{_environment}.json");

    [Fact]
    public async Task StartedFromAnotherDirectoryItReadsTheSettingsBesideItsDll()
    {
        await File.WriteAllTextAsync(InstallSettings, Cors(InstallOrigin));
        await File.WriteAllTextAsync(Path.Combine(_folder, "appsettings.json"), Cors(ShellOrigin));
        await File.WriteAllTextAsync(Path.Combine(_folder, $"appsettings.{_environment}.json"), Cors(ShellOrigin));

        await using var service = await ServiceProcess.StartFromAsync(_folder, _environment, Path.Combine(_folder, "tracker.db"));

        (await AllowedOriginAsync(service, InstallOrigin)).Should().Be(InstallOrigin);
        (await AllowedOriginAsync(service, ShellOrigin)).Should().BeNull("the shell's directory is not the service's");
    }

    [Fact]
    public async Task AGivenContentRootIsReadAndHoldsARelativeDatabase()
    {
        var root = Directory.CreateDirectory(Path.Combine(_folder, "root")).FullName;
        await File.WriteAllTextAsync(Path.Combine(root, "appsettings.json"), Cors(ShellOrigin));
        await File.WriteAllTextAsync(InstallSettings, Cors(InstallOrigin));

        // A relative content root is taken from the shell's directory, as a shell user means it.
        await using var service = await ServiceProcess.StartFromAsync(_folder, _environment, "data/tracker.db", "--contentRoot", "root");

        (await AllowedOriginAsync(service, ShellOrigin)).Should().Be(ShellOrigin);
        (await AllowedOriginAsync(service, InstallOrigin)).Should().BeNull();
        File.Exists(Path.Combine(root, "data", "tracker.db")).Should().BeTrue("a relative Data Source is resolved against the content root");
        File.Exists(Path.Combine(root, "data", "tracker.db" + DatabaseLock.Suffix)).Should().BeTrue();
    }

    private static string Cors(string origin) => $$"""{ "Tracker": { "Cors": { "Origins": [ "{{origin}}" ] } } }""";

    private static async Task<string?> AllowedOriginAsync(ServiceProcess service, string origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health/live");
        request.Headers.Add("Origin", origin);
        var response = await service.Client.SendAsync(request);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        return response.Headers.TryGetValues("Access-Control-Allow-Origin", out var values) ? values.Single() : null;
    }

    public void Dispose()
    {
        File.Delete(InstallSettings);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
