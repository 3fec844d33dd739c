using System.Collections.Concurrent;
using System.Security.Cryptography;
using Dapper;
using InitiativeTracker.Api.Infrastructure.Database;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace InitiativeTracker.Api.Infrastructure.Auth;

/// <summary>
/// Finds who a presented API key belongs to: the configured bootstrap key, or a stored key that is
/// neither revoked nor expired. This runs on every request, so a key once found is cached by its hash
/// for <see cref="CacheLifetime"/>; revoking a key calls <see cref="Invalidate"/>, which takes effect in
/// this process at once (another process sharing the database sees it within the lifetime). Expiry is
/// checked on every request, cached or not. <c>last_used_at</c> is written at most once a minute per key.
/// </summary>
public sealed class ApiKeyResolver(Db db, TimeProvider time, IOptions<TrackerOptions> options, ILogger<ApiKeyResolver> logger)
{
    public const string BootstrapName = "bootstrap";

    public static readonly TimeSpan CacheLifetime = TimeSpan.FromSeconds(30);

    public static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    /// <summary>Only valid keys are cached, so this bound is never reached in practice; it caps memory all the same.</summary>
    private const int MaxCachedKeys = 10_000;

    // The prefix narrows the search to (almost always) one row; the hashes are then compared in constant time.
    private const string CandidatesSql = """
        SELECT id AS Id, name AS Name, role AS Role, owner_id AS OwnerId, key_hash AS KeyHash,
               expires_at AS ExpiresAt, last_used_at AS LastUsedAt
        FROM api_keys
        WHERE prefix = @Prefix AND revoked_at IS NULL;
        """;

    private const string TouchSql = "UPDATE api_keys SET last_used_at = @Now WHERE id = @Id;";

    private static readonly ApiKeyIdentity s_bootstrap = new(BootstrapName, Roles.Admin, null);

    private readonly byte[]? _bootstrapHash = string.IsNullOrEmpty(options.Value.BootstrapAdminKey)
        ? null
        : ApiKeySecret.Hash(options.Value.BootstrapAdminKey);

    /// <summary>Replaced whole by <see cref="Invalidate"/>: a look-up that began before then stores into the old one, unread.</summary>
    private volatile ConcurrentDictionary<string, CachedKey> _cache = new(StringComparer.Ordinal);

    public async ValueTask<ApiKeyIdentity?> ResolveAsync(string presented, CancellationToken ct)
    {
        var hash = ApiKeySecret.Hash(presented);
        if (_bootstrapHash is not null && CryptographicOperations.FixedTimeEquals(hash, _bootstrapHash))
        {
            return s_bootstrap;
        }

        if (!ApiKeySecret.IsWellFormed(presented))
        {
            // Not a key this service issued: no need to ask the database.
            return null;
        }

        var now = time.GetUtcNow().UtcDateTime;
        var cacheKey = Convert.ToBase64String(hash);
        if (!_cache.TryGetValue(cacheKey, out var key) || now - key.LoadedAt >= CacheLifetime)
        {
            key = await LoadAsync(presented, hash, cacheKey, now, ct);
        }

        if (key is null || key.ExpiresAt <= now)
        {
            return null;
        }

        await TouchAsync(key, now, ct);
        return key.Identity;
    }

    /// <summary>Forgets every cached key, so the next request of each reads the database again (after a revocation).</summary>
    public void Invalidate() => _cache = new(StringComparer.Ordinal);

    private async Task<CachedKey?> LoadAsync(string presented, byte[] hash, string cacheKey, DateTime now, CancellationToken ct)
    {
        // Taken before the query: a revocation that commits while we read may be missed by it, and then
        // has replaced this cache, so the stale row is never served from it.
        var cache = _cache;
        KeyRow? row;
        await using (var connection = await db.OpenAsync(ct))
        {
            var candidates = await connection.QueryAsync<KeyRow>(new CommandDefinition(
                CandidatesSql, new { Prefix = presented[..ApiKeySecret.PrefixLength] }, cancellationToken: ct));
            row = candidates.FirstOrDefault(c => CryptographicOperations.FixedTimeEquals(c.KeyHash, hash));
        }

        if (row is null)
        {
            cache.TryRemove(cacheKey, out _);
            return null;
        }

        if (cache.Count >= MaxCachedKeys)
        {
            cache.Clear();
        }

        return cache[cacheKey] = new CachedKey(row, now);
    }

    private async Task TouchAsync(CachedKey key, DateTime now, CancellationToken ct)
    {
        if (!key.ClaimTouch(now))
        {
            return;
        }

        try
        {
            await db.WriteAsync(
                (connection, transaction) => connection.ExecuteAsync(new CommandDefinition(
                    TouchSql, new { key.Id, Now = SqlText.Timestamp(now) }, transaction, cancellationToken: ct)),
                ct);
        }
        catch (SqliteException e)
        {
            // Bookkeeping only: a busy database must not turn a valid key away.
            logger.LogWarning(e, "Could not record the last use of API key {KeyName}", key.Identity.Name);
        }
    }

    private sealed record KeyRow
    {
        public long Id { get; init; }
        public required string Name { get; init; }
        public required string Role { get; init; }
        public long? OwnerId { get; init; }
        public required byte[] KeyHash { get; init; }
        public DateTime? ExpiresAt { get; init; }
        public DateTime? LastUsedAt { get; init; }
    }

    private sealed class CachedKey(KeyRow row, DateTime loadedAt)
    {
        private long _lastUsedTicks = row.LastUsedAt?.Ticks ?? 0;

        public long Id { get; } = row.Id;

        public ApiKeyIdentity Identity { get; } = new(row.Name, row.Role, row.OwnerId);

        public DateTime? ExpiresAt { get; } = row.ExpiresAt;

        public DateTime LoadedAt { get; } = loadedAt;

        /// <summary>True for one caller at most once per <see cref="LastUsedResolution"/>: that caller writes last_used_at.</summary>
        public bool ClaimTouch(DateTime now)
        {
            var last = Interlocked.Read(ref _lastUsedTicks);
            return now.Ticks - last >= LastUsedResolution.Ticks
                && Interlocked.CompareExchange(ref _lastUsedTicks, now.Ticks, last) == last;
        }
    }
}
