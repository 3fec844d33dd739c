using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Dapper;
using Microsoft.Data.Sqlite;

namespace InitiativeTracker.Api.Infrastructure.Database;

/// <summary>
/// Opens SQLite connections with the per-connection settings the service relies on, and runs writes
/// one at a time. SQLite allows a single writer; queuing writers on an async gate here, instead of
/// letting them spin in SQLite's busy handler, keeps write latency fair and no write ever sees
/// <c>database is locked</c>. Reads never take the gate: WAL lets them run beside the writer.
/// </summary>
public sealed class Db : IDisposable
{
    /// <summary>Idle read connections kept for <see cref="QueryByIdAsync{T}"/>; more than this are closed after use.</summary>
    private const int MaxIdleReaders = 16;

    /// <summary>How long a connection waits on a lock held by another process (a backup, the shell).</summary>
    private const int BusyTimeoutSeconds = 5;

    private const string ConnectionPragmas = """
        PRAGMA synchronous = FULL;
        PRAGMA busy_timeout = 5000;
        PRAGMA cache_size = -512;
        """;

    /// <summary>The native connections already given <see cref="ConnectionPragmas"/>; pooled ones keep them.</summary>
    private static readonly ConditionalWeakTable<object, object> s_configured = [];

    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly ConcurrentStack<PreparedReader> _readers = [];
    private int _idleReaders;
    private long _commits;
    private readonly string _readerConnectionString;

    private readonly StorageFaults? _faults;
    private readonly WriteGateMetrics? _gateMetrics;

    /// <summary>
    /// A relative <c>Data Source</c> is resolved against <paramref name="contentRoot"/>, so the file's place does not depend on the shell's directory.
    /// Each write's outcome is recorded in <paramref name="faults"/>, its wait for the write gate in <paramref name="gateMetrics"/>.
    /// </summary>
    public Db(string connectionString, string contentRoot, StorageFaults? faults = null, WriteGateMetrics? gateMetrics = null)
    {
        _faults = faults;
        _gateMetrics = gateMetrics;
        var builder = new SqliteConnectionStringBuilder(connectionString)
        {
            ForeignKeys = true,
            Pooling = true,
            // Microsoft.Data.Sqlite retries SQLITE_BUSY for DefaultTimeout seconds on top of busy_timeout;
            // keep it equal so a stuck lock surfaces after one bounded wait, not two stacked ones.
            DefaultTimeout = BusyTimeoutSeconds,
        };
        if (builder.DataSource is not ("" or ":memory:") && !builder.DataSource.StartsWith("file:", StringComparison.OrdinalIgnoreCase)
            && !Path.IsPathRooted(builder.DataSource))
        {
            builder.DataSource = Path.GetFullPath(Path.Combine(contentRoot, builder.DataSource));
        }

        ConnectionString = builder.ToString();
        DataSource = builder.DataSource;
        _readerConnectionString = new SqliteConnectionStringBuilder(ConnectionString) { Pooling = false }.ToString();
    }

    public string ConnectionString { get; }

    public string DataSource { get; }

    /// <summary>
    /// Write transactions committed so far, counted once each commit has returned: a result read after
    /// taking this value stays current for as long as the value does (the grouped reports' counts rely on it).
    /// </summary>
    public long Commits => Volatile.Read(ref _commits);

    public Task<SqliteConnection> OpenAsync(CancellationToken ct) => OpenAsync(ConnectionString, ct);

    /// <summary>A connection of its own, never pooled: what is registered on it (a function) leaves with it.</summary>
    public Task<SqliteConnection> OpenUnpooledAsync(CancellationToken ct) => OpenAsync(_readerConnectionString, ct);

    private static async Task<SqliteConnection> OpenAsync(string connectionString, CancellationToken ct)
    {
        var connection = new SqliteConnection(connectionString);
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
    /// Reads one row by id, for the single-resource GETs that are the hottest reads. Preparing a
    /// statement costs SQLite several times what running it does, and a new command is prepared anew
    /// on every call, so these reads go through long-lived connections that keep each statement
    /// prepared; Dapper still maps the row. <paramref name="sql"/> takes one parameter, <c>@Id</c>.
    /// </summary>
    public async Task<T?> QueryByIdAsync<T>(string sql, long id, CancellationToken ct)
    {
        var reader = TakeIdleReader() ?? new PreparedReader(await OpenAsync(_readerConnectionString, ct));
        var row = default(T);
        try
        {
            var (command, parser) = reader.Prepared(sql);
            command.Parameters[0].Value = id;
            // Disposed at the end of this block, before the connection can go back to the idle ones.
            await using var rows = await command.ExecuteReaderAsync(ct);
            if (await rows.ReadAsync(ct))
            {
                // A prepared statement's columns never change, so its row parser is kept with it
                // (Dapper's own parser lookup takes a global lock on every call).
                parser ??= reader.KeepParser(sql, rows.GetRowParser<T>());
                row = ((Func<System.Data.Common.DbDataReader, T>)parser)(rows);
            }
        }
        catch
        {
            reader.Dispose();
            throw;
        }

        if (Interlocked.Increment(ref _idleReaders) <= MaxIdleReaders)
        {
            _readers.Push(reader);
        }
        else
        {
            Interlocked.Decrement(ref _idleReaders);
            reader.Dispose();
        }

        return row;
    }

    /// <summary>Closes the idle read connections (at shutdown, before the final checkpoint).</summary>
    public void ReleaseIdleConnections()
    {
        while (TakeIdleReader() is { } reader)
        {
            reader.Dispose();
        }
    }

    private PreparedReader? TakeIdleReader()
    {
        if (!_readers.TryPop(out var reader))
        {
            return null;
        }

        Interlocked.Decrement(ref _idleReaders);
        return reader;
    }

    public void Dispose()
    {
        ReleaseIdleConnections();
        _writeGate.Dispose();
    }

    /// <summary>
    /// Runs <paramref name="work"/> in one write transaction (BEGIN IMMEDIATE) and commits it. Any
    /// exception rolls everything back, so a failed write leaves the database as it was. For work no
    /// request asks for (start-up, demo data, webhooks); a request's handlers write through its
    /// <see cref="UnitOfWork"/>, which a step of the pipeline may hold open across them.
    /// </summary>
    public Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> work, CancellationToken ct) =>
        RecordingFaultsAsync(async () =>
        {
            await using var write = await BeginWriteAsync(ct);
            var result = await work(write.Connection, write.Transaction);
            // Once the work is done the write is committed even if the client went away meanwhile.
            await write.CommitAsync();
            return result;
        });

    /// <summary>
    /// Runs the steps of a write (beginning it, its work, its commit), recording a storage failure in
    /// <see cref="StorageFaults"/>: every write's outcome is recorded here, whether <see cref="WriteAsync{T}"/>
    /// or a request's held <see cref="UnitOfWork"/> runs it.
    /// </summary>
    internal async Task<T> RecordingFaultsAsync<T>(Func<Task<T>> steps)
    {
        try
        {
            return await steps();
        }
        catch (SqliteException e) when (_faults?.Observe(e) ?? false)
        {
            throw; // Never reached: the filter records the fault and lets the exception go on.
        }
    }

    /// <summary>
    /// Waits for the write gate, then opens a connection and a write transaction on it. Disposing the
    /// result rolls back whatever was not committed and lets the next writer in.
    /// </summary>
    internal async Task<WriteTransaction> BeginWriteAsync(CancellationToken ct)
    {
        var waiting = System.Diagnostics.Stopwatch.GetTimestamp();
        await _writeGate.WaitAsync(ct);
        _gateMetrics?.Waited(System.Diagnostics.Stopwatch.GetElapsedTime(waiting));
        SqliteConnection? connection = null;
        try
        {
            connection = await OpenAsync(ct);
            var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(ct);
            return new WriteTransaction(this, connection, transaction);
        }
        catch
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }

            _writeGate.Release();
            throw;
        }
    }

    /// <summary>The one write transaction open at a time; see <see cref="BeginWriteAsync"/>.</summary>
    internal sealed class WriteTransaction(Db db, SqliteConnection connection, SqliteTransaction transaction) : IAsyncDisposable
    {
        private int _disposed;

        public SqliteConnection Connection => connection;

        public SqliteTransaction Transaction => transaction;

        /// <summary>Commits, whatever the request's token says, and records that writes commit.</summary>
        public async Task CommitAsync()
        {
            await transaction.CommitAsync(CancellationToken.None);
            Interlocked.Increment(ref db._commits);
            db._faults?.Committed();
        }

        public async ValueTask DisposeAsync()
        {
            // Twice would let two writers in at once.
            if (Interlocked.Exchange(ref _disposed, 1) == 1)
            {
                return;
            }

            try
            {
                await using (connection)
                {
                    await transaction.DisposeAsync();
                }
            }
            finally
            {
                db._writeGate.Release();
            }
        }
    }

    /// <summary>A read connection of its own, with one prepared command per SQL text it has run.</summary>
    private sealed class PreparedReader(SqliteConnection connection) : IDisposable
    {
        private readonly Dictionary<string, (SqliteCommand Command, Delegate? Parser)> _prepared = new(StringComparer.Ordinal);

        public (SqliteCommand Command, Delegate? Parser) Prepared(string sql)
        {
            if (!_prepared.TryGetValue(sql, out var prepared))
            {
                var command = connection.CreateCommand();
                command.CommandText = sql;
                command.Parameters.Add("@Id", SqliteType.Integer);
                command.Prepare();
                _prepared[sql] = prepared = (command, null);
            }

            return prepared;
        }

        public Delegate KeepParser(string sql, Delegate parser)
        {
            _prepared[sql] = (_prepared[sql].Command, parser);
            return parser;
        }

        public void Dispose()
        {
            foreach (var (command, _) in _prepared.Values)
            {
                command.Dispose();
            }

            connection.Dispose();
        }
    }
}
