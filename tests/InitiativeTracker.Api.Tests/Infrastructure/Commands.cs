using System.Diagnostics;

namespace InitiativeTracker.Api.Tests.Infrastructure;

/// <summary>Runs a command of the machine (mount, systemd-analyze, a script) and collects what it wrote.</summary>
public static class Commands
{
    /// <returns>Its exit code and its stdout and stderr together; -1 with the reason when it could not be started.</returns>
    public static async Task<(int Code, string Output)> RunAsync(string file, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        try
        {
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            return (process.ExitCode, (await output + await error).Trim());
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, $"{file} could not be run: {e.Message}");
        }
    }

    public static Task<(int Code, string Output)> RunAsync(string file, params string[] arguments) => RunAsync(file, arguments, null);
}
