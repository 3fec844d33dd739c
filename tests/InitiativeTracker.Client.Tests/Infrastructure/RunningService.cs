using InitiativeTracker.Api.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace InitiativeTracker.Client.Tests.Infrastructure;

/// <summary>
/// The service as a real process (its build output next to these tests, as in production) on a database
/// file of its own, for clients that run outside this test process: a Node program, a compiled C# program.
/// </summary>
public sealed class RunningService : IAsyncLifetime
{
    private readonly string _databaseFile = Path.Combine(Path.GetTempPath(), $"tracker-client-{Guid.NewGuid():N}.db");

    private ServiceProcess? _process;

    public string AdminKey => ServiceProcess.AdminKey;

    /// <summary>The service's root URL, without a trailing slash.</summary>
    public string BaseUrl => (_process ?? throw new InvalidOperationException("The service has not started.")).Address.AbsoluteUri.TrimEnd('/');

    /// <summary>What the service printed, for a failure message.</summary>
    public string Output => _process?.Output ?? "";

    public async Task InitializeAsync() => _process = await ServiceProcess.StartAsync(_databaseFile);

    public async Task DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { _databaseFile, _databaseFile + "-wal", _databaseFile + "-shm" })
        {
            File.Delete(file);
        }
    }
}
