namespace InitiativeTracker.Api.Infrastructure.Database;

/// <summary>Migrates (and so seeds) the database before the server takes its first request.</summary>
public sealed class DatabaseStartup(DatabaseMigrator migrator) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => migrator.MigrateAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
