using System.Text.Json;

namespace InitiativeTracker.Cli.Tests.Infrastructure;

/// <summary>One run of <c>tracker</c>: its exit code and what it wrote.</summary>
public sealed record CliResult(int ExitCode, string Output, string Error)
{
    public JsonElement Json()
    {
        using var document = JsonDocument.Parse(Output);
        return document.RootElement.Clone();
    }

    /// <summary>Fails with what the command wrote to standard error when it did not exit 0.</summary>
    public CliResult Succeeded()
    {
        ExitCode.Should().Be(ExitCodes.Ok, "the command should succeed; it wrote:\n{0}\n{1}", Error, Output);
        return this;
    }

    /// <summary>
    /// Runs the command in-process through its root command, as the process would: <paramref name="environment"/>
    /// is all the environment it sees, and <paramref name="terminal"/> says whether its output is a terminal.
    /// </summary>
    public static async Task<CliResult> RunAsync(IReadOnlyDictionary<string, string?> environment, bool terminal, string? input, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var console = new CliConsole(output, error, new StringReader(input ?? ""), IsOutputRedirected: !terminal, IsInputRedirected: true,
            name => environment.GetValueOrDefault(name));
        var exitCode = await TrackerCli.RunAsync(args, console);
        return new CliResult(exitCode, output.ToString(), error.ToString());
    }
}
