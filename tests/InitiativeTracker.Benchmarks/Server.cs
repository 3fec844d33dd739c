using System.Diagnostics;
using System.Globalization;

namespace InitiativeTracker.Benchmarks;

/// <summary>The service as a child process on a database file, timed from launch to ready.</summary>
internal sealed class Server : IAsyncDisposable
{
    public const string AdminKey = "benchmark-admin-key";

    private readonly Process _process;

    private Server(Process process, double startupMilliseconds)
    {
        _process = process;
        StartupMilliseconds = startupMilliseconds;
    }

    public double StartupMilliseconds { get; }

    public static async Task<Server> StartAsync(string apiDll, string databaseFile, int port)
    {
        if (!File.Exists(apiDll))
        {
            throw new FileNotFoundException($"Build the service first (dotnet build -c Release): {apiDll} is missing.");
        }

        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList =
            {
                apiDll,
                "--urls", $"http://127.0.0.1:{port}",
                "--ConnectionStrings:Tracker", $"Data Source={databaseFile}",
                "--Tracker:BootstrapAdminKey", AdminKey,
                "--Tracker:RateLimit:PermitsPerMinute", "10000000",
                "--Logging:LogLevel:Default", "Warning",
            },
            WorkingDirectory = Path.GetDirectoryName(apiDll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        var clock = Stopwatch.StartNew();
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the service.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { Console.Error.WriteLine($"[service] {e.Data}"); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var probe = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(2) };
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            try
            {
                if ((await probe.GetAsync("/health/ready")).IsSuccessStatusCode)
                {
                    return new Server(process, clock.Elapsed.TotalMilliseconds);
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            if (process.HasExited)
            {
                throw new InvalidOperationException($"The service exited with code {process.ExitCode}.");
            }

            await Task.Delay(10);
        }

        process.Kill(entireProcessTree: true);
        throw new TimeoutException("The service did not become ready within 60 s.");
    }

    /// <summary>VmHWM: the most resident memory the process has used.</summary>
    public double PeakRssMegabytes()
    {
        var line = File.ReadLines($"/proc/{_process.Id}/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
    }

    /// <summary>SIGTERM, as a service manager stops it: requests finish and the WAL is folded into the file.</summary>
    public async Task StopAsync()
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: false);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
