using InitiativeTracker.Api.Features.ApiKeys;
using InitiativeTracker.Api.Features.Backup;

namespace InitiativeTracker.Api.Infrastructure;

/// <summary>
/// A command-line verb of the service (<c>create-key</c>, <c>backup</c>): it runs against the configured
/// database with the service's own composition, writes its result to stdout, and exits instead of serving.
/// </summary>
internal interface ICommandLineVerb
{
    /// <summary>The arguments that are not the verb's, for the host's configuration.</summary>
    string[] HostArgs { get; }

    Task<int> RunAsync(IServiceProvider services, TextWriter output, TextWriter error, CancellationToken ct);
}

internal static class CommandLineVerbs
{
    /// <summary>The verb the arguments ask for, or null when they ask to serve.</summary>
    public static ICommandLineVerb? FromArgs(string[] args) =>
        (ICommandLineVerb?)CreateKeyVerb.FromArgs(args) ?? BackupVerb.FromArgs(args);

    /// <summary>Sends every log line to stderr, so stdout carries the verb's result alone (<c>KEY=$(… create-key …)</c>).</summary>
    public static void ConfigureLogging(ILoggingBuilder logging) =>
        logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
}
