using System.Text.Json;
using InitiativeTracker.Api.Tests.Infrastructure;
using InitiativeTracker.Cli.Configuration;
using InitiativeTracker.Cli.Tests.Infrastructure;

namespace InitiativeTracker.Cli.Tests;

/// <summary><c>tracker login</c> keeps the URL and key in a file only its owner can read; the environment overrides it.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class LoginTests(TrackerService service) : IClassFixture<TrackerService>
{
    [Fact]
    public async Task LoginStoresUrlAndKeyInAnOwnerOnlyFileThatLaterCommandsUse()
    {
        var config = Path.Combine(service.Folder, "xdg-" + Guid.NewGuid().ToString("N"));
        var environment = new Dictionary<string, string?> { ["XDG_CONFIG_HOME"] = config, ["HOME"] = service.Home };

        var login = await CliResult.RunAsync(environment, terminal: true, input: null,
            "login", "--url", service.Process.Address.AbsoluteUri, "--key", ServiceProcess.AdminKey);

        login.Succeeded();
        var file = Path.Combine(config, "tracker", "config.json");
        login.Output.Should().Contain(file);
        File.GetUnixFileMode(file).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.GetUnixFileMode(Path.GetDirectoryName(file)!).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        using (var saved = JsonDocument.Parse(await File.ReadAllTextAsync(file)))
        {
            saved.RootElement.GetProperty("url").GetString().Should().Be(service.Process.Address.AbsoluteUri);
            saved.RootElement.GetProperty("apiKey").GetString().Should().Be(ServiceProcess.AdminKey);
        }

        var list = await CliResult.RunAsync(environment, terminal: false, input: null, "owners", "list");
        list.Succeeded().Json().ValueKind.Should().Be(JsonValueKind.Array, "the saved URL and key are used");

        // The key from the environment wins over the saved one...
        var refused = await CliResult.RunAsync(new Dictionary<string, string?>(environment) { [SettingsFile.KeyVariable] = "an-unknown-key-0000000000" },
            terminal: false, input: null, "owners", "list");
        refused.ExitCode.Should().Be(ExitCodes.KeyRefused);

        // ... and so does the URL.
        var elsewhere = await CliResult.RunAsync(new Dictionary<string, string?>(environment) { [SettingsFile.UrlVariable] = "http://127.0.0.1:9" },
            terminal: false, input: null, "owners", "list", "--retries", "0");
        elsewhere.ExitCode.Should().Be(ExitCodes.Unavailable);
        elsewhere.Error.Should().Contain("127.0.0.1:9");
    }

    [Fact]
    public async Task LoginUnderHomeReadsTheKeyFromStandardInput()
    {
        var home = Path.Combine(service.Folder, "home-" + Guid.NewGuid().ToString("N"));
        var environment = new Dictionary<string, string?> { ["HOME"] = home };

        var login = await CliResult.RunAsync(environment, terminal: false, input: ServiceProcess.AdminKey + "\n",
            "login", "--url", service.Process.Address.AbsoluteUri);

        login.Succeeded();
        var file = Path.Combine(home, ".config", "tracker", "config.json");
        File.GetUnixFileMode(file).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        (await CliResult.RunAsync(environment, terminal: false, input: null, "owners", "list")).Succeeded().Error.Should().BeEmpty();

        // Opened up by hand: still used, with a warning.
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        (await CliResult.RunAsync(environment, terminal: false, input: null, "owners", "list")).Succeeded().Error
            .Should().Contain("others may read it").And.Contain("chmod 600");
    }

    [Fact]
    public async Task ARefusedKeyIsNotSaved()
    {
        var config = Path.Combine(service.Folder, "xdg-" + Guid.NewGuid().ToString("N"));
        var environment = new Dictionary<string, string?> { ["XDG_CONFIG_HOME"] = config, ["HOME"] = service.Home };

        var login = await CliResult.RunAsync(environment, terminal: true, input: null,
            "login", "--url", service.Process.Address.AbsoluteUri, "--key", "an-unknown-key-0000000000");

        login.ExitCode.Should().Be(ExitCodes.KeyRefused);
        login.Error.Should().Contain("(401)");
        File.Exists(Path.Combine(config, "tracker", "config.json")).Should().BeFalse();
    }
}
