namespace InitiativeTracker.Cli;

/// <summary>
/// What the command reads and writes besides the network: its streams, whether standard output is a
/// terminal, and its environment. The process passes its own; tests pass writers they read back.
/// </summary>
internal sealed record CliConsole(
    TextWriter Out,
    TextWriter Error,
    TextReader In,
    bool IsOutputRedirected,
    bool IsInputRedirected,
    Func<string, string?> Environment)
{
    public static CliConsole FromProcess() => new(
        Console.Out,
        Console.Error,
        Console.In,
        Console.IsOutputRedirected,
        Console.IsInputRedirected,
        System.Environment.GetEnvironmentVariable);
}
