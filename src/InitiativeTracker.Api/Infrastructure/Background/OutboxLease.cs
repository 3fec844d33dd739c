using Dapper;
using InitiativeTracker.Api.Infrastructure.Database;
using InitiativeTracker.Api.Infrastructure.Time;

namespace InitiativeTracker.Api.Infrastructure.Background;

/// <summary>
/// How an outbox (webhook deliveries, emails) hands its due rows to a sender: claimed in one short write
/// transaction that reads them and pushes their <c>next_attempt_at</c> out by a lease, so no other pass,
/// nor another host after a crash, sends them meanwhile; a lease runs out only when its pass died. A
/// failed attempt waits <see cref="Backoff"/> before the next.
/// </summary>
public static class OutboxLease
{
    /// <summary>
    /// The rows <paramref name="dueSql"/> returns for <c>@Now</c> and <c>@BatchSize</c>, leased with
    /// <paramref name="leaseSql"/> (<c>@Until</c>, <c>@Ids</c>). Through the write gate: an outbox wakes its
    /// sender from inside the write that queues a row, and the claim then waits for that write to commit;
    /// "now" is read once the gate is held, so it is not earlier than the queued row's.
    /// </summary>
    public static Task<List<T>> ClaimAsync<T>(
        Db db, TrackerClock clock, string dueSql, string leaseSql, TimeSpan lease, int batchSize, Func<T, long> id, CancellationToken ct) =>
        db.WriteAsync(async (connection, transaction) =>
        {
            var now = clock.UtcNow;
            var due = (await connection.QueryAsync<T>(
                new CommandDefinition(dueSql, new { Now = now, BatchSize = batchSize }, transaction, cancellationToken: ct))).AsList();
            if (due.Count > 0)
            {
                await connection.ExecuteAsync(new CommandDefinition(leaseSql,
                    new { Until = now + lease, Ids = due.Select(id).ToArray() }, transaction, cancellationToken: ct));
            }

            return due;
        }, ct);

    /// <summary>The wait after the <paramref name="failures"/>-th failed attempt: base, 5×base, 25×base …</summary>
    public static TimeSpan Backoff(long failures, int baseSeconds) => TimeSpan.FromSeconds(baseSeconds * Math.Pow(5, failures - 1));
}
