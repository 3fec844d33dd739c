using InitiativeTracker.Api.Tests.Infrastructure;

namespace InitiativeTracker.Client.Tests.Infrastructure;

/// <summary>
/// A folder under tests/clients with its pinned npm packages (package-lock.json), installed once (npm ci)
/// for the test class that takes it as a fixture. Needs Node.js and npm on PATH.
/// </summary>
public abstract class NpmProject
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    private readonly Lazy<Task<CommandResult>> _install;

    protected NpmProject(string name)
    {
        Folder = Repository.PathOf("tests", "clients", name);
        _install = new(() => Command.RunAsync("npm", ["ci", "--no-audit", "--no-fund"], Folder, Timeout, Quiet));
    }

    public string Folder { get; }

    /// <summary>No update notices: the output is read when a test fails.</summary>
    private static Dictionary<string, string> Quiet => new() { ["NO_UPDATE_NOTIFIER"] = "1", ["npm_config_update_notifier"] = "false" };

    public async Task EnsureInstalledAsync()
    {
        var install = await _install.Value;
        install.ExitCode.Should().Be(0, $"npm ci must install the packages pinned in {Folder}/package-lock.json:\n{install}");
    }

    public Task<CommandResult> RunAsync(string program, params string[] arguments) =>
        Command.RunAsync(program, arguments, Folder, Timeout, Quiet);
}
