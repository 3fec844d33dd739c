using System.Reflection;
using Dapper;
using InitiativeTracker.Api.Infrastructure.Validation;
using Microsoft.Data.Sqlite;

namespace InitiativeTracker.Api.Infrastructure.Database;

/// <summary>
/// Applies the numbered scripts embedded under <c>Migrations/</c> in order, each in its own
/// transaction, and records each in <c>schema_versions</c>. Production start-up and every test use it.
/// </summary>
public sealed class DatabaseMigrator(Db db, TimeProvider time, ILogger<DatabaseMigrator> logger)
{
    private const string ResourcePrefix = "InitiativeTracker.Api.Infrastructure.Database.Migrations.";

    public async Task MigrateAsync(CancellationToken ct)
    {
        // Db made a file's path absolute; ":memory:" and "file:" URIs are not paths.
        if (Path.IsPathRooted(db.DataSource))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(db.DataSource)!);
        }

        // Unpooled: identity_key is this connection's alone, and goes with it.
        await using var connection = await db.OpenUnpooledAsync(ct);
        RegisterFunctions(connection);
        // WAL is a property of the file: set once, it holds for every later connection.
        await connection.ExecuteAsync("PRAGMA journal_mode = WAL;");
        await connection.ExecuteAsync("""
            CREATE TABLE IF NOT EXISTS schema_versions (
                version    INTEGER PRIMARY KEY,
                name       TEXT NOT NULL,
                applied_at TEXT NOT NULL
            );
            """);
        var applied = (await connection.QueryAsync<long>("SELECT version FROM schema_versions;")).ToHashSet();

        foreach (var (version, name, sql) in Scripts())
        {
            if (applied.Contains(version))
            {
                continue;
            }

            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(ct);
            await connection.ExecuteAsync(new CommandDefinition(sql, transaction: transaction, cancellationToken: ct));
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO schema_versions (version, name, applied_at) VALUES (@version, @name, @appliedAt);",
                new { version, name, appliedAt = SqlText.Timestamp(time.GetUtcNow().UtcDateTime) },
                transaction, cancellationToken: ct));
            await transaction.CommitAsync(ct);
            logger.LogInformation("Applied migration {Version} {Name}", version, name);
        }
    }

    /// <summary>
    /// What the scripts may call that SQL cannot compute: <c>identity_key('email' | 'name', text)</c>, the
    /// key an identity compares by (<see cref="Identity"/>), for backfilling rows stored before the keys.
    /// </summary>
    private static void RegisterFunctions(SqliteConnection connection) =>
        connection.CreateFunction("identity_key", (string kind, string? text) => text is null ? null
            : kind == "email" ? Identity.EmailKey(text) : Identity.Key(text), isDeterministic: true);

    private static IEnumerable<(long Version, string Name, string Sql)> Scripts()
    {
        var assembly = Assembly.GetExecutingAssembly();
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n =>
            {
                var name = n[ResourcePrefix.Length..^".sql".Length];
                using var stream = assembly.GetManifestResourceStream(n)!;
                using var reader = new StreamReader(stream);
                return (long.Parse(name[..name.IndexOf('_', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture), name, reader.ReadToEnd());
            })
            .OrderBy(s => s.Item1);
    }
}
