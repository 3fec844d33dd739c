using System.Globalization;
using System.Net;
using InitiativeTracker.Api.Infrastructure.Database;

namespace InitiativeTracker.Api.Tests.Infrastructure.Database;

/// <summary>A fresh database is migrated and seeded once; nothing in this class writes to it.</summary>
public sealed class DatabaseMigratorTests(TrackerFactory factory) : IClassFixture<TrackerFactory>
{
    private const string MigrationPrefix = "InitiativeTracker.Api.Infrastructure.Database.Migrations.";

    [Fact]
    public async Task SeedsExactlyTheJuneFifthMeeting()
    {
        var body = await (await factory.Admin().GetAsync("/api/v1/meetings")).ShouldBe(HttpStatusCode.OK);

        body["totalCount"]!.GetValue<long>().Should().Be(1);
        var meeting = body["items"]![0]!;
        meeting["heldOn"]!.GetValue<string>().Should().Be("2023-06-05");
        meeting["title"]!.GetValue<string>().Should().Contain("China–Central Asia Summit");
        meeting["location"]!.GetValue<string>().Should().Be("Xi'an Jiaotong University");
    }

    [Fact]
    public async Task SeedsTheThreeStrategicDirectionsWithTheSpecsTitles()
    {
        var body = await (await factory.Admin().GetAsync("/api/v1/directions")).ShouldBe(HttpStatusCode.OK);

        body["totalCount"]!.GetValue<long>().Should().Be(3);
        body["items"]!.AsArray().Select(d => (d!["meetingId"]!.GetValue<long>(), d["number"]!.GetValue<int>(), d["title"]!.GetValue<string>()))
            .Should().Equal(
                (1, 1, "Use the University Alliance of the Silk Road (UASR) as a platform to create a new engine of integration"),
                (1, 2, "Look beyond the UASR and strengthen degree and non-degree programs"),
                (1, 3, "Form a unified strategy with a global perspective, mobilizing all available resources"));
    }

    [Fact]
    public async Task RecordsEveryEmbeddedMigrationInSchemaVersions()
    {
        var embedded = typeof(DatabaseMigrator).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(MigrationPrefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n => n[MigrationPrefix.Length..^".sql".Length])
            .Order(StringComparer.Ordinal)
            .ToList();

        var recorded = await factory.ScalarAsync<string>("SELECT group_concat(name, ',') FROM (SELECT name FROM schema_versions ORDER BY version)");
        var versions = await factory.ScalarAsync<string>("SELECT group_concat(version, ',') FROM (SELECT version FROM schema_versions ORDER BY version)");

        embedded.Should().Contain(["0001_initial", "0002_seed_june5_meeting"]);
        recorded.Split(',').Should().Equal(embedded);
        versions.Split(',').Should().Equal(embedded.Select(n => long.Parse(n[..n.IndexOf('_', StringComparison.Ordinal)], CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task LeavesTheFileInWalMode()
    {
        (await factory.ScalarAsync<string>("PRAGMA journal_mode;")).Should().Be("wal");
    }

    [Fact]
    public async Task ASecondStartOnTheSameFileNeitherMigratesNorSeedsAgain()
    {
        // Start, stop, start again: two hosts may not serve one file at once (DatabaseLock). The database
        // is a file of its own, so the class fixture keeps serving its own.
        using var owner = new TrackerFactory();
        string versionsBefore, before;
        using (var first = owner.SecondHost())
        {
            versionsBefore = await first.ScalarAsync<string>("SELECT group_concat(version || '@' || applied_at, ',') FROM schema_versions");
            before = await first.SnapshotAsync();
        }

        using var restarted = owner.SecondHost();
        var meetings = await (await restarted.Admin().GetAsync("/api/v1/meetings")).ShouldBe(HttpStatusCode.OK);

        meetings["totalCount"]!.GetValue<long>().Should().Be(1);
        (await restarted.ScalarAsync<long>("SELECT COUNT(*) FROM directions")).Should().Be(3);
        (await restarted.ScalarAsync<string>("SELECT group_concat(version || '@' || applied_at, ',') FROM schema_versions"))
            .Should().Be(versionsBefore);
        (await restarted.SnapshotAsync()).Should().Be(before);
    }
}
