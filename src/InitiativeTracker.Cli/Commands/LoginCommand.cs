using System.CommandLine;
using InitiativeTracker.Cli.Configuration;
using InitiativeTracker.Cli.Http;

namespace InitiativeTracker.Cli.Commands;

/// <summary>
/// <c>tracker login --url URL [--key KEY]</c>: checks the key against the service, then saves both in the
/// per-user settings file (mode 0600). Without <c>--key</c> the key is <c>TRACKER_API_KEY</c>'s or read from
/// standard input, so it stays out of the shell's history and the process list.
/// </summary>
internal static class LoginCommand
{
    public static Command Create(CommandContext context)
    {
        var url = Options.Text("--url", $"The service's root URL, e.g. https://tracker.example.edu (default: {SettingsFile.UrlVariable}).");
        var key = Options.Text("--key", $"The API key (default: {SettingsFile.KeyVariable}, or else read from standard input).");
        var command = new Command("login", "Check an API key against the service and save the URL and key for later commands.") { url, key };
        command.SetAction(async (parse, ct) =>
        {
            var console = context.Console;
            try
            {
                var urlText = parse.GetValue(url) ?? console.Environment(SettingsFile.UrlVariable)
                    ?? throw new CliException(ExitCodes.BadInput, $"Name the service with --url (or set {SettingsFile.UrlVariable}).");
                if (!SettingsFile.TryParseUrl(urlText, out var serviceUrl))
                {
                    throw new CliException(ExitCodes.BadInput, $"--url '{urlText}' is not an absolute http or https URL.");
                }

                var apiKey = parse.GetValue(key)
                    ?? (console.Environment(SettingsFile.KeyVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment : ReadKey(console));
                var settings = new TrackerSettings(serviceUrl, apiKey);
                using (var session = new TrackerSession(settings, RetryPolicy.Default(parse.GetValue(context.Retries)), console.Error))
                {
                    // Any valid key may list the directions: a 401 here means the key is wrong.
                    await session.Api.Api.V1.Directions.GetAsync(c => c.QueryParameters.PageSize = 1, ct);
                }

                var file = new SettingsFile(console);
                file.Save(settings);
                console.Out.WriteLine($"Logged in to {serviceUrl.AbsoluteUri}; saved in {file.Path}.");
                return ExitCodes.Ok;
            }
            catch (Exception e) when (context.Failure(e) is { } exitCode)
            {
                return exitCode;
            }
        });
        return command;
    }

    private static string ReadKey(CliConsole console)
    {
        if (!console.IsInputRedirected)
        {
            console.Error.Write("API key: ");
        }

        return console.In.ReadLine()?.Trim() is { Length: > 0 } key
            ? key
            : throw new CliException(ExitCodes.BadInput, "No API key: pass --key, or send it on standard input.");
    }
}
