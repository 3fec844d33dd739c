using System.Net;
using InitiativeTracker.Api.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace InitiativeTracker.Api.Tests.Features.HealthChecks;

public sealed class ReadinessTests(TrackerFactory factory) : IClassFixture<TrackerFactory>
{
    [Fact]
    public async Task ReadinessFailsWhileTheDatabaseIsUnavailableAndLivenessDoesNot()
    {
        var client = factory.CreateClient();
        (await client.GetAsync("/health/ready")).StatusCode.Should().Be(HttpStatusCode.OK);

        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { factory.DatabaseFile, factory.DatabaseFile + "-wal", factory.DatabaseFile + "-shm" })
        {
            File.Delete(file);
        }

        await File.WriteAllTextAsync(factory.DatabaseFile, new string('x', 4096));

        await (await client.GetAsync("/health/ready")).ShouldBeProblem(HttpStatusCode.ServiceUnavailable);
        (await client.GetAsync("/health/live")).StatusCode.Should().Be(HttpStatusCode.OK);
    }
}
