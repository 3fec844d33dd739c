using System.Net;
using System.Text.RegularExpressions;
using InitiativeTracker.Api.Features.ApiKeys;
using InitiativeTracker.Api.Infrastructure.Database;
using InitiativeTracker.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Hosting;

namespace InitiativeTracker.Api.Tests.Features.ApiKeys;

/// <summary>A service whose database is left empty at start-up, so the verb has to migrate it, as on a fresh install.</summary>
public sealed class UnmigratedTrackerFactory : TrackerFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services =>
        {
            foreach (var startup in services.Where(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(DatabaseStartup)).ToList())
            {
                services.Remove(startup);
            }
        });
    }
}

public sealed class CreateKeyVerbOnAFreshDatabaseTests(UnmigratedTrackerFactory factory) : IClassFixture<UnmigratedTrackerFactory>
{
    [Fact]
    public async Task MigratesAFreshDatabaseAndPrintsOnlyAKeyThatAuthenticates()
    {
        _ = factory.Services;
        (await factory.ScalarAsync<long>("SELECT COUNT(*) FROM sqlite_master WHERE name = 'api_keys'")).Should().Be(0, "nothing migrated the database yet");

        var (exit, stdout, stderr) = await CreateKeyVerbTests.RunAsync(factory, "create-key", "--name", "First admin", "--role", "admin");

        exit.Should().Be(0, stderr);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var key = lines.Should().ContainSingle("stdout holds the key and nothing else").Subject;
        key.Should().StartWith("itk_");
        stderr.Should().Contain("First admin").And.NotContain(key);
        var admin = factory.WithKey(key);
        await (await admin.GetAsync("/api/v1/api-keys")).ShouldBe(HttpStatusCode.OK);
        await (await admin.PostJsonAsync("/api/v1/owners", """{"name":"Created with the first key"}""")).ShouldBe(HttpStatusCode.Created);
        (await factory.ScalarAsync<string>("SELECT actor FROM audit_entries WHERE entity_type = 'api_key' AND action = 'create'")).Should().Be("system");
    }
}

public sealed class CreateKeyVerbTests(TrackerFactory factory) : IClassFixture<TrackerFactory>
{
    [Fact]
    public async Task CreatesALeadKeyBoundToAnOwner()
    {
        var owner = await factory.Admin().CreateAsync("/api/v1/owners", new { name = "Lead by CLI" });

        var (exit, stdout, stderr) = await RunAsync("create-key", "--name=Lead by CLI", "--role=lead", $"--owner-id={owner["id"]}");

        exit.Should().Be(0, stderr);
        var lead = factory.WithKey(stdout.Trim());
        await (await lead.PostJsonAsync("/api/v1/initiatives",
            $$"""{"directionId":1,"ownerId":{{owner["id"]}},"title":"Lead's own initiative","deadline":"2026-12-31"}""")).ShouldBe(HttpStatusCode.Created);
    }

    [Theory]
    [InlineData("create-key")]
    [InlineData("create-key", "--role", "admin")]
    [InlineData("create-key", "--name", "No role")]
    [InlineData("create-key", "--name", "Root", "--role", "root")]
    [InlineData("create-key", "--name", "Bad owner", "--role", "lead", "--owner-id", "abc")]
    [InlineData("create-key", "--name", "--role", "admin")]
    [InlineData("create-key", "--name", "Bad expiry", "--role", "viewer", "--expires-at", "soon")]
    public async Task BadArgumentsExitWithUsageAndPrintNoKey(params string[] args)
    {
        var (exit, stdout, stderr) = await RunAsync(args);

        exit.Should().Be(CreateKeyVerb.BadUsage);
        stdout.Should().BeEmpty();
        stderr.Should().Contain("Usage: create-key");
    }

    [Theory]
    [InlineData("ownerId", "create-key", "--name", "Lead without owner", "--role", "lead")]
    [InlineData("ownerId", "create-key", "--name", "Lead of nobody", "--role", "lead", "--owner-id", "999999")]
    [InlineData("expiresAt", "create-key", "--name", "Expired already", "--role", "viewer", "--expires-at", "2020-01-01T00:00:00Z")]
    [InlineData("reserved", "create-key", "--name", "bootstrap", "--role", "admin")]
    public async Task InvalidKeysExitNonZeroNamingTheProblem(string expected, params string[] args)
    {
        var (exit, stdout, stderr) = await RunAsync(args);

        exit.Should().Be(CreateKeyVerb.Failed);
        stdout.Should().BeEmpty();
        stderr.Should().Contain(expected);
    }

    [Fact]
    public async Task AcceptsEveryKeyNameTheReadmeShows()
    {
        var readme = await File.ReadAllTextAsync(Path.Combine(Repository.Root, "README.md"));
        var names = Regex.Matches(readme, @"create-key --name (?:""(?<name>[^""]*)""|(?<name>\S+))").Select(m => m.Groups["name"].Value).ToList();

        names.Should().NotBeEmpty("the README shows how to mint a key");
        foreach (var name in names)
        {
            var (exit, _, stderr) = await RunAsync("create-key", "--name", name, "--role", "viewer");
            exit.Should().Be(0, $"the README's example name '{name}' must be one the verb accepts: {stderr}");
        }
    }

    [Fact]
    public void LeavesOtherArgumentsToTheHostAndServesWithoutTheVerb()
    {
        CreateKeyVerb.FromArgs(["create-key", "--name", "a", "--ConnectionStrings:Tracker=Data Source=x.db", "--role", "admin"])!
            .HostArgs.Should().Equal("--ConnectionStrings:Tracker=Data Source=x.db");
        CreateKeyVerb.FromArgs(["--urls", "http://localhost:5080"]).Should().BeNull();
        CreateKeyVerb.FromArgs([]).Should().BeNull();
    }

    private Task<(int Exit, string Stdout, string Stderr)> RunAsync(params string[] args) => RunAsync(factory, args);

    /// <summary>Runs the verb in-process against the factory's database, capturing what it prints.</summary>
    internal static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(TrackerFactory factory, params string[] args)
    {
        var verb = CreateKeyVerb.FromArgs(args)!;
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await verb.RunAsync(factory.Services, stdout, stderr, CancellationToken.None);
        return (exit, stdout.ToString().Replace("\r\n", "\n", StringComparison.Ordinal), stderr.ToString());
    }
}
