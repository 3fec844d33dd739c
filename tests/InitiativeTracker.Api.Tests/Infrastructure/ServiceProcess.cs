using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace InitiativeTracker.Api.Tests.Infrastructure;

/// <summary>
/// The real service as a separate process (the build output of the API project, next to the tests),
/// for what an in-process host cannot show: SIGKILL, SIGTERM, a second process on the same file, its memory.
/// </summary>
public sealed partial class ServiceProcess : IAsyncDisposable
{
    public const string AdminKey = "process-admin-key-0123456789";

    private readonly Process _process;
    private readonly ProcessOutput _output;

    private ServiceProcess(Process process, ProcessOutput output, Uri address)
    {
        _process = process;
        _output = output;
        Address = address;
        Client = CreateClient();
    }

    public Uri Address { get; }

    /// <summary>An admin client of this process.</summary>
    public HttpClient Client { get; }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public string Output => _output.ToString();

    /// <summary>
    /// The process's memory from /proc/&lt;pid&gt;/status (Linux): resident now (VmRSS) and the most it has
    /// been resident (VmHWM, since start or <see cref="ResetPeakMemory"/>), in bytes.
    /// </summary>
    public (long Resident, long Peak) Memory()
    {
        var status = File.ReadAllLines($"/proc/{_process.Id}/status");
        return (Kilobytes("VmRSS:") * 1024, Kilobytes("VmHWM:") * 1024);

        long Kilobytes(string field) =>
            long.Parse(status.Single(l => l.StartsWith(field, StringComparison.Ordinal))[field.Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Starts VmHWM again from the resident size now (writes 5 to /proc/&lt;pid&gt;/clear_refs); false where that is not allowed.</summary>
    public bool ResetPeakMemory()
    {
        try
        {
            File.WriteAllText($"/proc/{_process.Id}/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    public static string ApiDll => Path.Combine(AppContext.BaseDirectory, "InitiativeTracker.Api.dll");

    public static Task<ServiceProcess> StartAsync(string databaseFile, params string[] settings) =>
        StartFromAsync(AppContext.BaseDirectory, "Production", databaseFile, settings);

    /// <summary>
    /// Starts the service from <paramref name="workingDirectory"/>, as <c>cd /srv &amp;&amp; dotnet /opt/tracker/InitiativeTracker.Api.dll</c>
    /// does, in <paramref name="environment"/> (which names the <c>appsettings.{environment}.json</c> it reads).
    /// </summary>
    public static async Task<ServiceProcess> StartFromAsync(string workingDirectory, string environment, string databaseFile, params string[] settings)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[]
        {
            ApiDll,
            "--urls", $"http://127.0.0.1:{port}",
            "--ConnectionStrings:Tracker", $"Data Source={databaseFile}",
            "--Tracker:BootstrapAdminKey", AdminKey,
            "--Tracker:RateLimit:PermitsPerMinute", "10000000",
        }.Concat(settings))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = environment;
        var process = Process.Start(start) ?? throw new InvalidOperationException("The service did not start.");
        var service = new ServiceProcess(process, ProcessOutput.Read(process), new Uri($"http://127.0.0.1:{port}"));
        await service.WaitUntilReadyAsync();
        return service;
    }

    /// <summary>Runs a command-line verb of the service (<c>backup</c>, <c>create-key</c>) against a database file.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunVerbAsync(string databaseFile, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { ApiDll }.Concat(arguments).Concat(["--ConnectionStrings:Tracker", $"Data Source={databaseFile}"]))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("The verb did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await error);
    }

    /// <summary>
    /// Starts the service as in production (<paramref name="settings"/> over a fresh port and this database
    /// file) and waits for it to exit on its own, as a start it refuses does; a start that serves is killed after 60 s.
    /// </summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunUntilExitAsync(string databaseFile, params string[] settings)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { ApiDll, "--urls", $"http://127.0.0.1:{FreePort()}", "--ConnectionStrings:Tracker", $"Data Source={databaseFile}" }
            .Concat(settings))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("The service did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        return (process.ExitCode, await output, await error);
    }

    public HttpClient CreateClient(string key = AdminKey)
    {
        var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    /// <summary>SIGKILL: the process gets no chance to flush or close anything.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM: the host's graceful shutdown.</summary>
    public async Task TerminateAsync(TimeSpan timeout)
    {
        if (SendSignal(_process.Id, Sigterm) != 0)
        {
            throw new InvalidOperationException("kill(SIGTERM) failed.");
        }

        using var cancel = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancel.Token);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private async Task WaitUntilReadyAsync()
    {
        using var probe = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(2) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The service exited with {_process.ExitCode}:\n{Output}");
            }

            try
            {
                if ((await probe.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Busy starting.
            }

            await Task.Delay(25);
        }

        throw new TimeoutException($"The service was not ready within 60 s:\n{Output}");
    }

    /// <summary>A loopback port nothing listens on now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private const int Sigterm = 15;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int pid, int signal);
}
