namespace InitiativeTracker.Cli;

/// <summary>A failure found by the command itself (no settings, an unreadable file), with its exit code.</summary>
internal sealed class CliException(int exitCode, string message) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
