using System.Diagnostics;
using System.Text;

namespace InitiativeTracker.Dashboard.Tests.Infrastructure;

/// <summary>
/// The distribution's Chromium and the CJK fonts the dashboard's Chinese names need, installed with
/// apt-get when missing (Playwright's own browser download cannot be reached from CI), so a fresh machine
/// runs the browser tests. An install that cannot be done fails the tests with apt-get's output.
/// </summary>
public static class SystemChromium
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private const string CjkFont = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";

    private static readonly string[] s_packages = ["chromium", "fonts-noto-cjk"];

    private static readonly SemaphoreSlim s_gate = new(1, 1);

    /// <summary>Chromium refuses to start its sandbox as root, which is how CI runs.</summary>
    public static IReadOnlyList<string> Arguments => Environment.UserName == "root" ? ["--no-sandbox"] : [];

    public static async Task EnsureInstalledAsync()
    {
        await s_gate.WaitAsync();
        try
        {
            if (File.Exists(ExecutablePath) && File.Exists(CjkFont))
            {
                return;
            }

            var log = new StringBuilder();
            if (Environment.UserName != "root")
            {
                throw new InvalidOperationException(
                    $"The browser tests need {ExecutablePath} and {CjkFont}: run 'apt-get update && apt-get install -y {string.Join(' ', s_packages)}' as root.");
            }

            await RunAsync(log, "apt-get", "update");
            await RunAsync(log, "apt-get", ["install", "-y", "--no-install-recommends", .. s_packages]);
            if (!File.Exists(ExecutablePath) || !File.Exists(CjkFont))
            {
                throw new InvalidOperationException($"apt-get installed {string.Join(' ', s_packages)} but {ExecutablePath} or {CjkFont} is still missing:\n{log}");
            }
        }
        finally
        {
            s_gate.Release();
        }
    }

    private static async Task RunAsync(StringBuilder log, string command, params string[] arguments)
    {
        var start = new ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        log.AppendLine($"$ {command} {string.Join(' ', arguments)}");
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{command} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        log.AppendLine(await output).AppendLine(await error);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{command} {string.Join(' ', arguments)}' failed with exit code {process.ExitCode}; the browser tests cannot run:\n{log}");
        }
    }
}
