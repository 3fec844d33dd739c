using System.Text.Json;
using System.Text.Json.Serialization;

namespace InitiativeTracker.Cli.Configuration;

/// <summary>Where the service is and the key to call it with.</summary>
internal sealed record TrackerSettings(Uri Url, string ApiKey);

/// <summary>
/// The per-user settings file that <c>tracker login</c> writes: <c>$XDG_CONFIG_HOME/tracker/config.json</c>,
/// or <c>~/.config/tracker/config.json</c>. It holds an API key, so it is created readable by its owner
/// only (0600, in a 0700 folder). <c>TRACKER_URL</c> and <c>TRACKER_API_KEY</c> override its values one by one.
/// </summary>
internal sealed class SettingsFile(CliConsole console)
{
    public const string UrlVariable = "TRACKER_URL";
    public const string KeyVariable = "TRACKER_API_KEY";

    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public string Path
    {
        get
        {
            var root = console.Environment("XDG_CONFIG_HOME") is { Length: > 0 } xdg && System.IO.Path.IsPathRooted(xdg)
                ? xdg
                : System.IO.Path.Combine(
                    console.Environment("HOME") is { Length: > 0 } home ? home : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile),
                    ".config");
            return System.IO.Path.Combine(root, "tracker", "config.json");
        }
    }

    /// <summary>The settings in force: the environment's over the file's; null when a URL or key is missing.</summary>
    public TrackerSettings? Resolve(out string? problem)
    {
        var saved = Read();
        var url = console.Environment(UrlVariable) is { Length: > 0 } u ? u : saved?.Url;
        var key = console.Environment(KeyVariable) is { Length: > 0 } k ? k : saved?.ApiKey;
        if (string.IsNullOrWhiteSpace(url) || string.IsNullOrWhiteSpace(key))
        {
            problem = $"Not logged in: run 'tracker login --url URL' (or set {UrlVariable} and {KeyVariable}).";
            return null;
        }

        if (!TryParseUrl(url, out var parsed))
        {
            problem = $"The service URL '{url}' is not an absolute http or https URL.";
            return null;
        }

        problem = null;
        return new TrackerSettings(parsed, key);
    }

    public static bool TryParseUrl(string text, out Uri url) =>
        Uri.TryCreate(text, UriKind.Absolute, out url!) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps);

    public void Save(TrackerSettings settings)
    {
        var path = Path;
        var folder = System.IO.Path.GetDirectoryName(path)!;
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
        }
        else
        {
            Directory.CreateDirectory(folder, OwnerOnlyFolder);
        }

        // Written beside the file with its final mode from the start, then moved over it: the key is
        // never readable by others, not even for a moment, and a crash leaves the old file whole.
        var temporary = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnlyFile;
        }

        using (var stream = new FileStream(temporary, options))
        {
            JsonSerializer.Serialize(stream, new SavedSettings(settings.Url.AbsoluteUri, settings.ApiKey), s_json);
        }

        if (!OperatingSystem.IsWindows())
        {
            // A temporary file left by an earlier crash keeps its old mode under FileMode.Create.
            File.SetUnixFileMode(temporary, OwnerOnlyFile);
        }

        File.Move(temporary, path, overwrite: true);
    }

    private SavedSettings? Read()
    {
        var path = Path;
        if (!File.Exists(path))
        {
            return null;
        }

        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & ~(OwnerOnlyFile | UnixFileMode.UserExecute)) != 0)
        {
            console.Error.WriteLine($"tracker: warning: {path} holds an API key and others may read it; run 'chmod 600 {path}'.");
        }

        try
        {
            return JsonSerializer.Deserialize<SavedSettings>(File.ReadAllText(path), s_json);
        }
        catch (JsonException e)
        {
            throw new CliException(ExitCodes.BadInput, $"The settings file {path} is not valid JSON ({e.Message}); run 'tracker login' again.");
        }
    }

    private sealed record SavedSettings(
        [property: JsonPropertyName("url")] string? Url,
        [property: JsonPropertyName("apiKey")] string? ApiKey);
}
