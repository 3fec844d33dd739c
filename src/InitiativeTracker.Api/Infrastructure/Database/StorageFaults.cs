using Dapper;
using Microsoft.Data.Sqlite;

namespace InitiativeTracker.Api.Infrastructure.Database;

/// <summary>A storage fault that stops writes from committing, as SQLite reports it.</summary>
public enum StorageFault
{
    /// <summary>SQLITE_FULL: the volume (or a quota) has no room for the write.</summary>
    Full,

    /// <summary>SQLITE_BUSY or SQLITE_LOCKED past the busy timeout: another process holds the write lock.</summary>
    Busy,

    /// <summary>SQLITE_IOERR: the operating system failed a read, write or sync.</summary>
    IoError,
}

/// <summary>
/// Whether writes can commit, as the last write found out. <see cref="Db"/> records every write's outcome
/// here: a commit (<see cref="Committed"/>) and a failure whose cause is the storage
/// (<see cref="Observe"/>). The first failure of a kind is logged once with its cause, and the
/// recovery once when a write commits again; the requests in between answer their fault
/// (<see cref="Errors.ProblemExceptionHandler"/>) without a log line each. Readiness asks <see cref="Current"/>
/// (no I/O while healthy) and, while in a fault, <see cref="ProbeAsync"/> commits one small write to
/// find out whether the fault has cleared, so readiness recovers by itself even when no client writes.
/// </summary>
public sealed partial class StorageFaults(ILogger<StorageFaults> logger, TimeProvider time)
{
    /// <summary>
    /// A full volume counts as clear only with this much room: a small probe can commit into WAL frames
    /// already allocated while the next real write still cannot grow the file.
    /// </summary>
    public const long MinimumFreeBytes = 256 * 1024;

    private readonly Lock _lock = new();
    private StorageFault? _current;
    private DateTimeOffset _since;

    /// <summary>The fault writes are in, or null when the last write committed.</summary>
    public StorageFault? Current
    {
        get
        {
            lock (_lock)
            {
                return _current;
            }
        }
    }

    /// <summary>The storage fault <paramref name="exception"/> is, if it is one.</summary>
    public static StorageFault? Classify(Exception exception) => exception is SqliteException sqlite
        ? sqlite.SqliteErrorCode switch
        {
            13 => StorageFault.Full,
            5 or 6 => StorageFault.Busy,
            10 => StorageFault.IoError,
            _ => null,
        }
        : null;

    /// <summary>
    /// Records a failed write; always false, so it can be an exception filter that lets the exception go on.
    /// </summary>
    public bool Observe(Exception exception)
    {
        if (Classify(exception) is { } fault)
        {
            Enter(fault, exception.Message);
        }

        return false;
    }

    /// <summary>Records a committed write: whatever fault there was has cleared.</summary>
    public void Committed()
    {
        StorageFault fault;
        TimeSpan lasted;
        lock (_lock)
        {
            if (_current is not { } current)
            {
                return;
            }

            fault = current;
            lasted = time.GetUtcNow() - _since;
            _current = null;
        }

        LogCleared(logger, fault, Math.Round(lasted.TotalSeconds, 1));
    }

    /// <summary>
    /// While in a fault, tries one small write on a connection of its own that waits at most a second for
    /// the lock, and records its outcome; whether writes commit now. Healthy, it does nothing.
    /// </summary>
    public async Task<bool> ProbeAsync(Db db, CancellationToken ct)
    {
        if (Current is not { } fault)
        {
            return true;
        }

        if (fault == StorageFault.Full && FreeBytes(db.DataSource) is { } free && free < MinimumFreeBytes)
        {
            return false;
        }

        var connectionString = new SqliteConnectionStringBuilder(db.ConnectionString) { Pooling = false, DefaultTimeout = 1 }.ToString();
        try
        {
            await using var connection = new SqliteConnection(connectionString);
            await connection.OpenAsync(ct);
            // A statement of its own: after one that returns a row (this one does), an error of the next is lost.
            await connection.ExecuteAsync("PRAGMA busy_timeout = 500;");
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO storage_probe (id, probed_at) VALUES (1, @At) ON CONFLICT (id) DO UPDATE SET probed_at = excluded.probed_at;",
                new { At = time.GetUtcNow().UtcDateTime }, cancellationToken: ct));
        }
        catch (SqliteException e)
        {
            // Whatever the probe meets (a read-only file reports SQLITE_READONLY on a new connection), writes do not commit.
            Observe(e);
            return false;
        }

        Committed();
        return true;
    }

    /// <summary>Room left on the volume that holds <paramref name="path"/>, or null where it cannot be told.</summary>
    public static long? FreeBytes(string path)
    {
        var directory = Path.GetDirectoryName(path);
        if (string.IsNullOrEmpty(directory) || !Directory.Exists(directory))
        {
            return null;
        }

        try
        {
            return new DriveInfo(directory).AvailableFreeSpace;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }

    private void Enter(StorageFault fault, string cause)
    {
        lock (_lock)
        {
            if (_current == fault)
            {
                return;
            }

            _current = fault;
            _since = time.GetUtcNow();
        }

        LogStarted(logger, fault, cause);
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "Storage fault {Fault}: writes cannot commit ({Cause}); answering them as such until a write commits again")]
    private static partial void LogStarted(ILogger logger, StorageFault fault, string cause);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Storage fault {Fault} cleared after {Seconds} s: writes commit again")]
    private static partial void LogCleared(ILogger logger, StorageFault fault, double seconds);
}
