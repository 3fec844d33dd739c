using System.ComponentModel;
using System.Diagnostics;
using InitiativeTracker.Api.Tests.Infrastructure;

namespace InitiativeTracker.Client.Tests.Infrastructure;

/// <summary>What a finished command said: its exit code and its standard output and error, interleaved.</summary>
public sealed record CommandResult(string CommandLine, int ExitCode, string Output)
{
    public override string ToString() => $"$ {CommandLine}\n(exit code {ExitCode})\n{Output}";
}

/// <summary>Runs the tools a test drives (dotnet tool, npm, npx, bash) and keeps what they print.</summary>
internal static class Command
{
    public static async Task<CommandResult> RunAsync(
        string program, IEnumerable<string> arguments, string workingDirectory, TimeSpan timeout,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var commandLine = string.Join(' ', [program, .. start.ArgumentList]);
        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException(
                $"'{program}' could not be started ({e.Message}). It must be installed and on PATH for this test: {commandLine}", e);
        }

        process.StandardInput.Close();
        var output = ProcessOutput.Read(process);
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'{commandLine}' did not finish within {timeout}. It printed:\n{output}");
        }

        process.WaitForExit();
        return new CommandResult(commandLine, process.ExitCode, output.ToString());
    }
}
