using Dapper;
using InitiativeTracker.Api.Infrastructure.Database;
using Microsoft.Extensions.DependencyInjection;

namespace InitiativeTracker.Api.Tests.Infrastructure.Database;

public sealed class ConnectionSettingsTests(TrackerFactory factory) : IClassFixture<TrackerFactory>
{
    [Fact]
    public async Task EveryConnectionHasWalForeignKeysFullSyncAndABusyTimeoutIncludingPooledOnes()
    {
        _ = factory.CreateClient();
        var db = factory.Services.GetRequiredService<Db>();

        for (var i = 0; i < 5; i++)
        {
            await using var connection = await db.OpenAsync(CancellationToken.None);
            (await connection.ExecuteScalarAsync<string>("PRAGMA journal_mode;")).Should().Be("wal");
            (await connection.ExecuteScalarAsync<long>("PRAGMA foreign_keys;")).Should().Be(1);
            (await connection.ExecuteScalarAsync<long>("PRAGMA synchronous;")).Should().Be(2, "2 is FULL");
            (await connection.ExecuteScalarAsync<long>("PRAGMA busy_timeout;")).Should().Be(5000);
        }
    }
}
