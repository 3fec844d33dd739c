namespace InitiativeTracker.Api.Infrastructure.Database;

/// <summary>
/// One serving process per database file. Each process serialises its writes on its own gate (<see cref="Db"/>)
/// and keeps its own idempotency leases and webhook loops, so a second process on the same file would
/// contend for SQLite's one writer lock and run every background job twice. The service holds an
/// exclusive OS lock on <c>&lt;database&gt;.lock</c> (on Linux and macOS .NET takes it as a
/// <c>flock</c>; on Windows as a share-none open) from before migrating until the host is disposed,
/// and the operating system releases it when the process dies, even by SIGKILL. The file itself stays:
/// deleting it while another process opens it would let both hold a lock. The command-line verbs do not
/// take it: <c>backup</c> reads one snapshot beside the service, <c>create-key</c> is one write that
/// SQLite serialises with the service's.
/// </summary>
public sealed class DatabaseLock(Db db) : IDisposable
{
    public const string Suffix = ".lock";

    private FileStream? _held;

    /// <summary>
    /// Takes the lock, or says on <paramref name="error"/> that another process holds it. A database that
    /// is not a file (<c>:memory:</c>, a <c>file:</c> URI) has nothing to lock.
    /// </summary>
    public bool TryAcquire(TextWriter error)
    {
        if (!Path.IsPathRooted(db.DataSource))
        {
            return true;
        }

        var path = db.DataSource + Suffix;
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            _held = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            return true;
        }
        catch (IOException)
        {
            error.WriteLine($"Another process is already serving {db.DataSource} (it holds {path}): one process serves one database. "
                + "Stop it first, or give this one another database (ConnectionStrings:Tracker).");
            return false;
        }
    }

    public void Dispose()
    {
        _held?.Dispose();
        _held = null;
    }
}
