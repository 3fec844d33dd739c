using Dapper;
using Microsoft.Data.Sqlite;

namespace InitiativeTracker.Api.Infrastructure.Database;

/// <summary>
/// Migrates (and so seeds) the database before the server takes its first request, and closes it
/// cleanly once the host has stopped and every in-flight request has finished: the WAL is
/// checkpointed into the main file and pooled connections are closed.
/// </summary>
public sealed class DatabaseStartup(
    DatabaseMigrator migrator, Db db, IHostApplicationLifetime lifetime, ILogger<DatabaseStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Where the data is, on every start: a relative Data Source is resolved against the content root.
        logger.LogInformation("Database {DataSource}", db.DataSource);
        await migrator.MigrateAsync(cancellationToken);
        lifetime.ApplicationStopped.Register(Close);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Close()
    {
        try
        {
            db.ReleaseIdleConnections();
            using (var connection = new SqliteConnection(db.ConnectionString))
            {
                connection.Execute("PRAGMA wal_checkpoint(TRUNCATE);");
            }

            SqliteConnection.ClearAllPools();
            logger.LogInformation("Database closed cleanly");
        }
        catch (SqliteException e)
        {
            // Another process may hold the database; SQLite recovers from the WAL on the next start.
            logger.LogWarning(e, "Could not checkpoint the database on shutdown");
        }
    }
}
