using System.Text.Json;
using Dapper;
using InitiativeTracker.Api.Infrastructure.Database;
using InitiativeTracker.Api.Infrastructure.Time;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace InitiativeTracker.Api.Infrastructure.Idempotency;

/// <summary>A POST carrying an <c>Idempotency-Key</c>: whose key it is, the key, and the fingerprint of the request.</summary>
public sealed record IdempotentRequest(string Scope, string Key, string RequestHash);

/// <summary>The first answer to a key, as it is replayed.</summary>
public sealed record StoredResponse(int StatusCode, IReadOnlyDictionary<string, string> Headers, byte[] Body);

/// <summary>What claiming a key found.</summary>
public abstract record KeyClaim
{
    private KeyClaim()
    {
    }

    /// <summary>The key is ours until we complete or release it.</summary>
    public sealed record Reserved(string Token) : KeyClaim;

    /// <summary>The same request was answered before: replay this.</summary>
    public sealed record Answered(StoredResponse Response) : KeyClaim;

    /// <summary>The same request is being carried out right now.</summary>
    public sealed record InProgress : KeyClaim;

    /// <summary>The key was used for a different request.</summary>
    public sealed record Mismatch : KeyClaim;
}

/// <summary>
/// The <c>idempotency_keys</c> table. A key is reserved in its own short write transaction before the
/// request runs, so duplicates that arrive meanwhile see it in progress; the answer is kept in the
/// transaction of the request's writes. A reservation carries a lease, so a request that hangs
/// cannot hold a key for good, and a reservation left unanswered by an earlier run is free at once.
/// </summary>
public sealed class IdempotencyStore(Db db, TrackerClock clock, IOptions<IdempotencyOptions> options)
{
    private const string SelectSql = """
        SELECT request_hash AS RequestHash, reservation AS Reservation, locked_until AS LockedUntil, status_code AS StatusCode,
               headers AS Headers, body AS Body, expires_at AS ExpiresAt
        FROM idempotency_keys WHERE scope = @Scope AND key = @Key;
        """;

    private const string ReserveSql = """
        INSERT INTO idempotency_keys (scope, key, request_hash, reservation, locked_until, created_at, expires_at)
        VALUES (@Scope, @Key, @RequestHash, @Reservation, @LockedUntil, @Now, @ExpiresAt)
        ON CONFLICT (scope, key) DO UPDATE SET
            request_hash = excluded.request_hash, reservation = excluded.reservation, locked_until = excluded.locked_until,
            status_code = NULL, headers = NULL, body = NULL, created_at = excluded.created_at, expires_at = excluded.expires_at;
        """;

    private const string CompleteSql = """
        UPDATE idempotency_keys SET status_code = @StatusCode, headers = @Headers, body = @Body, locked_until = NULL
        WHERE scope = @Scope AND key = @Key AND reservation = @Reservation;
        """;

    private const string ReleaseSql = """
        DELETE FROM idempotency_keys
        WHERE scope = @Scope AND key = @Key AND reservation = @Reservation AND status_code IS NULL;
        """;

    private const string PurgeSql = "DELETE FROM idempotency_keys WHERE expires_at <= @Now;";

    private static readonly TimeSpan s_purgeInterval = TimeSpan.FromMinutes(1);

    private readonly IdempotencyOptions _options = options.Value;

    /// <summary>
    /// Prefixes this process's reservations. An answer commits with its request's writes, so an
    /// unanswered reservation of an earlier run (one that crashed or stopped) wrote nothing: its key
    /// is free at once, without waiting out the lease. (The service is the database's only writer.)
    /// </summary>
    internal string Run { get; } = Guid.NewGuid().ToString("N") + ".";

    private DateTime _nextPurge = DateTime.MinValue;

    public Task<KeyClaim> ClaimAsync(IdempotentRequest request, CancellationToken ct) =>
        db.WriteAsync<KeyClaim>(async (connection, transaction) =>
        {
            var now = clock.UtcNow;
            if (now >= _nextPurge)
            {
                await connection.ExecuteAsync(new CommandDefinition(PurgeSql, new { Now = now }, transaction, cancellationToken: ct));
                _nextPurge = now + s_purgeInterval;
            }

            var row = await connection.QuerySingleOrDefaultAsync<KeyRow>(new CommandDefinition(SelectSql, request, transaction, cancellationToken: ct));
            var live = row is not null && row.ExpiresAt > now
                && (row.StatusCode is not null || (row.LockedUntil > now && row.Reservation.StartsWith(Run, StringComparison.Ordinal)));
            if (live && row!.RequestHash != request.RequestHash)
            {
                return new KeyClaim.Mismatch();
            }

            if (live)
            {
                return row!.StatusCode is { } status
                    ? new KeyClaim.Answered(new StoredResponse(
                        (int)status, JsonSerializer.Deserialize<Dictionary<string, string>>(row.Headers ?? "{}") ?? [], row.Body ?? []))
                    : new KeyClaim.InProgress();
            }

            var token = Run + Guid.NewGuid().ToString("N");
            await connection.ExecuteAsync(new CommandDefinition(ReserveSql, new
            {
                request.Scope,
                request.Key,
                request.RequestHash,
                Reservation = token,
                LockedUntil = now + _options.Lease,
                Now = now,
                ExpiresAt = now + _options.Retention,
            }, transaction, cancellationToken: ct));
            return new KeyClaim.Reserved(token);
        }, ct);

    /// <summary>
    /// Keeps the answer for replay, in the transaction of the request's own writes: committed with
    /// them or not at all. False when the reservation is no longer this request's (another run took
    /// the key over): then the request must roll back.
    /// </summary>
    public async Task<bool> KeepAsync(
        SqliteConnection connection, SqliteTransaction transaction, IdempotentRequest request, string token, StoredResponse response) =>
        await connection.ExecuteAsync(new CommandDefinition(CompleteSql, new
        {
            request.Scope,
            request.Key,
            Reservation = token,
            response.StatusCode,
            Headers = JsonSerializer.Serialize(response.Headers),
            response.Body,
        }, transaction)) == 1;

    /// <summary>Gives the key up (the request failed or was not worth keeping), so a retry runs afresh.</summary>
    public Task ReleaseAsync(IdempotentRequest request, string token) =>
        db.WriteAsync(async (connection, transaction) => await connection.ExecuteAsync(
            new CommandDefinition(ReleaseSql, new { request.Scope, request.Key, Reservation = token }, transaction)), CancellationToken.None);

    private sealed record KeyRow
    {
        public required string RequestHash { get; init; }
        public required string Reservation { get; init; }
        public DateTime? LockedUntil { get; init; }
        public long? StatusCode { get; init; }
        public string? Headers { get; init; }
        public byte[]? Body { get; init; }
        public DateTime ExpiresAt { get; init; }
    }
}
