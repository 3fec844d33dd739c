using InitiativeTracker.Api.Tests.Infrastructure;

namespace InitiativeTracker.Cli.Tests.Infrastructure;

/// <summary>
/// The service on a database of its own behind a <see cref="FaultProxy"/> that can kill it mid-request:
/// once the service has answered the first request of a given method (so its work is committed), the
/// service is SIGKILLed before the answer leaves, and started again on the same database while the
/// command retries; the proxy then forwards to the new process.
/// </summary>
public sealed class RestartingService : IAsyncDisposable
{
    private readonly string _databaseFile;
    private readonly List<ServiceProcess> _processes = [];
    private Task? _restart;

    private RestartingService(string databaseFile, ServiceProcess first)
    {
        _databaseFile = databaseFile;
        _processes.Add(first);
        Proxy = new FaultProxy(first.Address);
    }

    public FaultProxy Proxy { get; }

    /// <summary>Every process that served the database, the first one and those restarted.</summary>
    public IReadOnlyList<ServiceProcess> Processes
    {
        get
        {
            lock (_processes)
            {
                return [.. _processes];
            }
        }
    }

    public static async Task<RestartingService> StartAsync(string databaseFile) =>
        new(databaseFile, await ServiceProcess.StartAsync(databaseFile));

    /// <summary>Kills the service after it answered the first request whose request line starts with <paramref name="request"/> (<c>POST /api/v1/...</c>), and restarts it.</summary>
    public void KillOnAnswerTo(string request) => Proxy.OnAnswer = async head =>
    {
        if (!head.StartsWith(request, StringComparison.Ordinal) || _restart is not null)
        {
            return Fault.None;
        }

        await Processes[0].KillAsync();
        _restart = Task.Run(async () =>
        {
            var again = await ServiceProcess.StartAsync(_databaseFile);
            lock (_processes)
            {
                _processes.Add(again);
            }

            Proxy.Upstream = again.Address;
        });
        return Fault.LoseAnswer;
    };

    /// <summary>The requests the proxy saw whose request line starts with <paramref name="request"/>, and the Idempotency-Keys they carried.</summary>
    public (int Count, string[] Keys) Sent(string request)
    {
        var requests = Proxy.Requests.Where(r => r.StartsWith(request, StringComparison.Ordinal)).ToList();
        return (requests.Count, requests.Select(r => FaultProxy.Header(r, "Idempotency-Key")).Distinct().ToArray());
    }

    public async ValueTask DisposeAsync()
    {
        await Proxy.DisposeAsync();
        if (_restart is not null)
        {
            try
            {
                await _restart;
            }
            catch (Exception e) when (e is InvalidOperationException or TimeoutException)
            {
                // A restart that failed has no process to stop; the test has failed already.
            }
        }

        foreach (var process in Processes)
        {
            await process.DisposeAsync();
        }
    }
}
