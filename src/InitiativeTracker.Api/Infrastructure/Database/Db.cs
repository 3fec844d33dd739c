using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace InitiativeTracker.Api.Infrastructure.Database;

/// <summary>
/// Opens SQLite connections with the per-connection settings the service relies on, and runs writes
/// one at a time. SQLite allows a single writer; queuing writers on an async gate here, instead of
/// letting them spin in SQLite's busy handler, keeps write latency fair and no write ever sees
/// <c>database is locked</c>. Reads never take the gate: WAL lets them run beside the writer.
/// </summary>
public sealed class Db
{
    /// <summary>How long a connection waits on a lock held by another process (a backup, the shell).</summary>
    private const int BusyTimeoutSeconds = 5;

    private const string ConnectionPragmas = """
        PRAGMA synchronous = FULL;
        PRAGMA busy_timeout = 5000;
        """;

    /// <summary>The native connections already given <see cref="ConnectionPragmas"/>; pooled ones keep them.</summary>
    private static readonly ConditionalWeakTable<object, object> s_configured = [];

    private readonly SemaphoreSlim _writeGate = new(1, 1);

    public Db(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString)
        {
            ForeignKeys = true,
            Pooling = true,
            // Microsoft.Data.Sqlite retries SQLITE_BUSY for DefaultTimeout seconds on top of busy_timeout;
            // keep it equal so a stuck lock surfaces after one bounded wait, not two stacked ones.
            DefaultTimeout = BusyTimeoutSeconds,
        };
        ConnectionString = builder.ToString();
        DataSource = builder.DataSource;
    }

    public string ConnectionString { get; }

    public string DataSource { get; }

    public async Task<SqliteConnection> OpenAsync(CancellationToken ct)
    {
        var connection = new SqliteConnection(ConnectionString);
        try
        {
            await connection.OpenAsync(ct);
            // A pooled connection hands back the same native handle, which keeps its settings: set them
            // once per physical connection rather than on every open (a round trip on every request).
            var handle = connection.Handle!;
            if (!s_configured.TryGetValue(handle, out _))
            {
                using var command = connection.CreateCommand();
                command.CommandText = ConnectionPragmas;
                await command.ExecuteNonQueryAsync(ct);
                s_configured.AddOrUpdate(handle, handle);
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> in one write transaction (BEGIN IMMEDIATE) and commits it. Any
    /// exception rolls everything back, so a failed request leaves the database as it was.
    /// </summary>
    public async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> work, CancellationToken ct)
    {
        await _writeGate.WaitAsync(ct);
        try
        {
            await using var connection = await OpenAsync(ct);
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(ct);
            var result = await work(connection, transaction);
            // Once the work is done the write is committed even if the client went away meanwhile.
            await transaction.CommitAsync(CancellationToken.None);
            return result;
        }
        finally
        {
            _writeGate.Release();
        }
    }
}
