using System.CommandLine;
using InitiativeTracker.Cli.Configuration;
using InitiativeTracker.Cli.Http;
using InitiativeTracker.Cli.Output;
using Microsoft.Kiota.Abstractions;

namespace InitiativeTracker.Cli.Commands;

/// <summary>What a running command is handed: its connection, where its results go, the console.</summary>
internal sealed record Call(TrackerSession Session, Printer Printer, CliConsole Console, ParseResult Parse);

/// <summary>
/// The options every command takes (<c>--output</c>, <c>--retries</c>) and the one way a command runs:
/// settings resolved, a session opened, and every failure turned into its message and exit code.
/// </summary>
internal sealed class CommandContext(CliConsole console)
{
    public CliConsole Console => console;

    public Option<string?> Output { get; } = new Option<string?>("--output", "-o")
    {
        Description = "table, json or csv (default: a table on a terminal, JSON when the output is redirected).",
        Recursive = true,
    }.AcceptOnlyFromAmong("table", "json", "csv");

    public Option<int> Retries { get; } = RetriesOption();

    public Printer PrinterFor(ParseResult parse) => new(console.Out, parse.GetValue(Output) switch
    {
        "table" => OutputFormat.Table,
        "json" => OutputFormat.Json,
        "csv" => OutputFormat.Csv,
        _ => console.IsOutputRedirected ? OutputFormat.Json : OutputFormat.Table,
    });

    /// <summary>Runs <paramref name="body"/> against the service and returns the exit code.</summary>
    public async Task<int> RunAsync(ParseResult parse, Func<Call, Task> body)
    {
        try
        {
            var settings = new SettingsFile(console).Resolve(out var problem) ?? throw new CliException(ExitCodes.KeyRefused, problem!);
            using var session = new TrackerSession(settings, RetryPolicy.Default(parse.GetValue(Retries)), console.Error);
            await body(new Call(session, PrinterFor(parse), console, parse));
            return ExitCodes.Ok;
        }
        catch (Exception e) when (Failure(e) is { } exitCode)
        {
            return exitCode;
        }
    }

    /// <summary>Writes what went wrong to standard error and returns the exit code; null for a bug, which propagates.</summary>
    public int? Failure(Exception exception)
    {
        switch (exception)
        {
            case ApiException api:
                return Problems.Report(api, console.Error);
            case HttpRequestException network:
                console.Error.WriteLine($"tracker: the service could not be reached: {network.Message}");
                return ExitCodes.Unavailable;
            case CliException cli:
                console.Error.WriteLine($"tracker: {cli.Message}");
                return cli.ExitCode;
            case IOException or UnauthorizedAccessException:
                // A file the command reads or writes (an import, the settings).
                console.Error.WriteLine($"tracker: {exception.Message}");
                return ExitCodes.BadInput;
            default:
                return null;
        }
    }

    private static Option<int> RetriesOption()
    {
        var option = new Option<int>("--retries")
        {
            Description = $"How many times to repeat a request after a 429, a 5xx or a network failure (default {RetryPolicy.DefaultRetries}); 0 tries once.",
            DefaultValueFactory = _ => RetryPolicy.DefaultRetries,
            Recursive = true,
        };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 0)
            {
                result.AddError("--retries must be 0 or more.");
            }
        });
        return option;
    }
}
