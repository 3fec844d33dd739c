using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using InitiativeTracker.Api.Tests.Infrastructure;

namespace InitiativeTracker.Client.Tests.Infrastructure;

/// <summary>
/// Stoplight Prism (pinned in tests/clients/prism/package-lock.json, installed with npm ci) as a validating
/// proxy in front of a running service: <c>prism proxy openapi.yaml &lt;service&gt; --errors</c>. Prism checks
/// every request and every answer against openapi.yaml: a request the document refuses it answers itself
/// (422 UNPROCESSABLE_ENTITY, 401 for a missing key, 404/405 for a route or method the document lacks)
/// without forwarding; an answer that breaks the document it replaces with a 500 VIOLATIONS problem; any
/// other finding (a warning) it lists in the <c>sl-violations</c> header. Needs Node.js and npm on PATH.
/// </summary>
public sealed class PrismProxy : IAsyncDisposable
{
    /// <summary>Prism's own problem types start with this; the service's never do.</summary>
    public const string PrismProblemPrefix = "https://stoplight.io/prism/errors#";

    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(5);
    private static readonly Lazy<Task<CommandResult>> s_install = new(() => Command.RunAsync(
        "npm", ["ci", "--no-audit", "--no-fund"], Folder, InstallTimeout, Quiet));

    private readonly Process _process;
    private readonly ProcessOutput _output;

    private PrismProxy(Process process, ProcessOutput output, Uri address)
    {
        _process = process;
        _output = output;
        Address = address;
    }

    public static string Folder => Repository.PathOf("tests", "clients", "prism");

    /// <summary>No update notices, and no install-time analytics call (the @scarf/scarf dependency).</summary>
    private static Dictionary<string, string> Quiet => new()
    {
        ["NO_UPDATE_NOTIFIER"] = "1",
        ["npm_config_update_notifier"] = "false",
        ["SCARF_ANALYTICS"] = "false",
    };

    public Uri Address { get; }

    /// <summary>What Prism printed (its log of each request, forward and violation), for a failing test's message.</summary>
    public string Output => _output.ToString();

    /// <summary>Installs the pinned Prism once per test run; fails with npm's output when it cannot.</summary>
    public static async Task EnsureInstalledAsync()
    {
        var install = await s_install.Value;
        if (install.ExitCode != 0)
        {
            throw new InvalidOperationException($"npm ci must install the pinned @stoplight/prism-cli in {Folder}:\n{install}");
        }
    }

    /// <summary>Starts <c>prism proxy openapi.yaml <paramref name="upstream"/> --errors</c> on a free loopback port and waits until it answers.</summary>
    public static async Task<PrismProxy> StartAsync(Uri upstream)
    {
        await EnsureInstalledAsync();
        var port = ServiceProcess.FreePort();
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = Folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[]
        {
            Path.Combine("node_modules", "@stoplight", "prism-cli", "dist", "index.js"),
            "proxy", Repository.PathOf("openapi.yaml"), upstream.ToString().TrimEnd('/'),
            "--errors", "--host", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        })
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in Quiet)
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Prism did not start.");
        var prism = new PrismProxy(process, ProcessOutput.Read(process), new Uri($"http://127.0.0.1:{port}"));
        await prism.WaitUntilListeningAsync();
        return prism;
    }

    /// <summary>
    /// What Prism found in one exchange: the entries of a Prism problem's <c>validation</c> (or its title and
    /// detail when it has none) and of the <c>sl-violations</c> header. Empty when the exchange matched openapi.yaml.
    /// </summary>
    public static IReadOnlyList<string> Findings(HttpStatusCode status, IEnumerable<string> violationHeaders, string? mediaType, string body)
    {
        var findings = new List<string>();
        foreach (var header in violationHeaders)
        {
            findings.AddRange(JsonNode.Parse(header)!.AsArray().Select(v => Describe(v!)));
        }

        if (mediaType == "application/problem+json" && JsonNode.Parse(body) is JsonObject problem
            && problem["type"]?.GetValue<string>() is { } type && type.StartsWith(PrismProblemPrefix, StringComparison.Ordinal))
        {
            var validation = problem["validation"]?.AsArray().Select(v => Describe(v!)).ToList() ?? [];
            findings.AddRange(validation.Count > 0
                ? validation.Select(v => $"{type[PrismProblemPrefix.Length..]} ({(int)status}): {v}")
                : [$"{type[PrismProblemPrefix.Length..]} ({(int)status}): {problem["title"]}: {problem["detail"]}"]);
        }

        return findings;
    }

    private static string Describe(JsonNode violation) =>
        $"[{violation["severity"]}] {string.Join('.', violation["location"]?.AsArray().Select(l => l!.ToString()) ?? [])} {violation["code"]}: {violation["message"]}";

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private async Task WaitUntilListeningAsync()
    {
        using var probe = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"Prism exited with {_process.ExitCode}:\n{Output}");
            }

            try
            {
                await probe.GetAsync("/health/live");
                return;
            }
            catch (HttpRequestException)
            {
                // Still reading openapi.yaml.
            }
            catch (TaskCanceledException)
            {
                // Busy starting.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"Prism was not listening within 60 s:\n{Output}");
    }
}
