using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using InitiativeTracker.Api.Tests.Infrastructure;
using InitiativeTracker.Cli.Configuration;

namespace InitiativeTracker.Cli.Tests.Infrastructure;

/// <summary>
/// The service as a real process on its own database file, and <c>tracker</c> pointed at it through
/// <c>TRACKER_URL</c> and <c>TRACKER_API_KEY</c> with a home folder of its own (no settings file there
/// unless a test logs in).
/// </summary>
public sealed class TrackerService : IAsyncLifetime
{
    private ServiceProcess? _process;

    public string Folder { get; } = Directory.CreateTempSubdirectory("tracker-cli-tests-").FullName;

    public string DatabaseFile => Path.Combine(Folder, "tracker.db");

    public ServiceProcess Process => _process ?? throw new InvalidOperationException("The service has not started.");

    public string Home => Path.Combine(Folder, "home");

    public async Task InitializeAsync() => _process = await ServiceProcess.StartAsync(DatabaseFile);

    public async Task DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }

        Directory.Delete(Folder, recursive: true);
    }

    public Dictionary<string, string?> Environment(string? key = ServiceProcess.AdminKey, Uri? url = null) => new()
    {
        [SettingsFile.UrlVariable] = (url ?? Process.Address).AbsoluteUri,
        [SettingsFile.KeyVariable] = key,
        ["HOME"] = Home,
    };

    /// <summary>tracker with its output redirected (so JSON unless --output says otherwise), as the admin.</summary>
    public Task<CliResult> Tracker(params string[] args) => CliResult.RunAsync(Environment(), terminal: false, input: null, args);

    /// <summary>tracker writing to a terminal (so a table unless --output says otherwise), as the admin.</summary>
    public Task<CliResult> TrackerOnTerminal(params string[] args) => CliResult.RunAsync(Environment(), terminal: true, input: null, args);

    public Task<CliResult> TrackerWithKey(string key, params string[] args) => CliResult.RunAsync(Environment(key), terminal: false, input: null, args);

    public async Task<long> CreateOwnerAsync(string name)
    {
        var owner = (await Tracker("owners", "create", "--name", name).ConfigureAwait(false)).Succeeded().Json();
        return owner.GetProperty("id").GetInt64();
    }

    public async Task<long> CreateInitiativeAsync(long ownerId, string title, string deadline = "2027-06-30")
    {
        var initiative = (await Tracker("initiatives", "create", "--direction", "1", "--owner", Text(ownerId), "--title", title, "--deadline", deadline))
            .Succeeded().Json();
        return initiative.GetProperty("id").GetInt64();
    }

    /// <summary>A lead's key for <paramref name="ownerId"/>, minted by the admin over HTTP.</summary>
    public async Task<string> CreateLeadKeyAsync(long ownerId, string name)
    {
        using var response = await Process.Client.PostAsJsonAsync("/api/v1/api-keys", new { name, role = "lead", ownerId });
        response.EnsureSuccessStatusCode();
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        return created.GetProperty("key").GetString()!;
    }

    /// <summary>The JSON the service answers a GET with, read directly (to compare with what tracker printed).</summary>
    public async Task<JsonElement> GetJsonAsync(string path) => await Process.Client.GetFromJsonAsync<JsonElement>(path);

    /// <summary>A date some days from today by the service's real clock (yyyy-MM-dd), for reports that look ahead from today.</summary>
    public static string DaysFromToday(int days) =>
        DateOnly.FromDateTime(DateTime.UtcNow.AddDays(days)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
