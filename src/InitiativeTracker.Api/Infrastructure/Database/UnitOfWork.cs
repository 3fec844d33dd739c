using Microsoft.Data.Sqlite;

namespace InitiativeTracker.Api.Infrastructure.Database;

/// <summary>
/// A request's writes, scoped to the request. Handlers that write take it and call
/// <see cref="WriteAsync{T}"/>: each call is a transaction of its own, committed when it returns, as
/// <see cref="Db.WriteAsync{T}"/>. A step of the pipeline that must commit something together with the
/// request's writes (the idempotency middleware: the answer it keeps for the key) calls
/// <see cref="Hold"/> before the handler runs; from then on the writes share one transaction, opened
/// (and the write gate taken) at the first of them, so reading and checking the request does not hold
/// up other writers. <see cref="CommitAsync"/> adds the step's last write and commits; disposing the
/// hold without it rolls everything back.
/// </summary>
public sealed class UnitOfWork(Db db) : IAsyncDisposable
{
    private Db.WriteTransaction? _write;
    private bool _held;
    private int _busy;

    public Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> work, CancellationToken ct) =>
        _held ? JoinAsync(work, ct) : db.WriteAsync(work, ct);

    /// <summary>Holds the writes from here on in one transaction until <see cref="CommitAsync"/>; see the type's summary.</summary>
    /// <returns>This unit of work: disposing it rolls back whatever was not committed, and lets other writers in.</returns>
    public IAsyncDisposable Hold()
    {
        if (_held)
        {
            throw new InvalidOperationException("The request's writes are already held.");
        }

        _held = true;
        return this;
    }

    /// <summary>Runs <paramref name="last"/> in the held transaction (its own, if the request wrote nothing) and commits.</summary>
    public async Task CommitAsync(Func<SqliteConnection, SqliteTransaction, Task> last)
    {
        if (!_held)
        {
            throw new InvalidOperationException("Only held writes are committed at once: call Hold first.");
        }

        await JoinAsync(async (connection, transaction) =>
        {
            await last(connection, transaction);
            await _write!.CommitAsync();
            return true;
        }, CancellationToken.None);
        await DisposeAsync();
    }

    /// <summary>Ends the hold; one the request left open ends with the request's scope: rolled back, the write gate freed.</summary>
    public async ValueTask DisposeAsync()
    {
        _held = false;
        if (_write is { } write)
        {
            _write = null;
            await write.DisposeAsync();
        }
    }

    private async Task<T> JoinAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> work, CancellationToken ct)
    {
        // One SqliteConnection, so one write at a time: parallel writes within a request are a bug.
        if (Interlocked.Exchange(ref _busy, 1) == 1)
        {
            throw new InvalidOperationException("The request's held transaction is in use by another write.");
        }

        try
        {
            return await db.RecordingFaultsAsync(async () =>
            {
                _write ??= await db.BeginWriteAsync(ct);
                return await work(_write.Connection, _write.Transaction);
            });
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }
}
