using System.Net.Http.Headers;
using Dapper;
using InitiativeTracker.Api.Infrastructure.Database;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace InitiativeTracker.Api.Tests.Infrastructure;

/// <summary>
/// The real service over HTTP, on a database file of its own (so test classes run in parallel) and a
/// fake clock. Use it as a class fixture; each test creates the rows it needs.
/// </summary>
public class TrackerFactory : WebApplicationFactory<Program>
{
    public const string AdminKey = "test-admin-key-0123456789";

    /// <summary>2026-03-10 10:00 in Asia/Shanghai.</summary>
    public static readonly DateTimeOffset Start = new(2026, 3, 10, 2, 0, 0, TimeSpan.Zero);

    private readonly bool _ownsDatabase;

    public TrackerFactory()
    {
        Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "initiative-tracker-tests"));
        DatabaseFile = Path.Combine(Path.GetTempPath(), "initiative-tracker-tests", $"{Guid.NewGuid():N}.db");
        _ownsDatabase = true;
    }

    private TrackerFactory(string databaseFile) => DatabaseFile = databaseFile;

    public FakeTimeProvider Clock { get; } = new(Start);

    public string DatabaseFile { get; }

    /// <summary>The fake clock's instant in the API's timestamp form (tests move the clock in whole seconds).</summary>
    public string Now() => Clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Extra configuration a test class needs, applied over the defaults.</summary>
    protected virtual IDictionary<string, string?> Settings => new Dictionary<string, string?>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Tracker", $"Data Source={DatabaseFile}");
        builder.UseSetting("Tracker:BootstrapAdminKey", AdminKey);
        // A test class makes hundreds of requests with one key; the rate-limit tests set their own low limit.
        builder.UseSetting("Tracker:RateLimit:PermitsPerMinute", "1000000");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureServices(services =>
        {
            services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Clock));
            if (!BackgroundLoops)
            {
                // The webhook dispatcher and deadline scan, and the email loop, write on their own schedule;
                // a test that compares the database before and after a request must not see them. Webhook
                // and email tests run them step by step, or ask for the loops.
                var loops = services.Where(d => d.ServiceType == typeof(IHostedService)
                    && d.ImplementationType is { Namespace: "InitiativeTracker.Api.Features.Webhooks" or "InitiativeTracker.Api.Features.Email" }).ToList();
                loops.Should().HaveCount(3, "the webhook dispatch and scan loops and the email loop are the service's background writers");
                foreach (var loop in loops)
                {
                    services.Remove(loop);
                }
            }
        });
    }

    /// <summary>Whether the service's background loops (webhook dispatch and scan, email) run in this host.</summary>
    protected virtual bool BackgroundLoops => false;

    /// <summary>
    /// A second host on this factory's database file, as a restart of the service would find it. The file
    /// stays this factory's: disposing the second host leaves it in place. Start it once the first host is
    /// disposed (or was never started): one process serves one database, and a host holds the file's lock.
    /// </summary>
    public TrackerFactory SecondHost() => new(DatabaseFile);

    /// <summary>A client that authenticates as the bootstrap admin.</summary>
    public HttpClient Admin() => WithKey(AdminKey);

    /// <summary>A client that sends this API key. Its answers are checked against openapi.yaml (<see cref="ContractCheckingHandler"/>).</summary>
    public HttpClient WithKey(string key)
    {
        var client = Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    /// <summary>A client without a key, whose answers are checked against openapi.yaml.</summary>
    public HttpClient Anonymous() => CreateDefaultClient(new ContractCheckingHandler());

    /// <summary>Reads the database directly, to assert what a request did or did not write.</summary>
    public async Task<T> ScalarAsync<T>(string sql, object? parameters = null)
    {
        await using var connection = await OpenAsync();
        return await connection.ExecuteScalarAsync<T>(sql, parameters) ?? throw new InvalidOperationException("No value.");
    }

    /// <summary>Writes to the database directly, to set up a state no endpoint produces yet.</summary>
    public async Task<int> ExecuteAsync(string sql, object? parameters = null)
    {
        await using var connection = await OpenAsync();
        return await connection.ExecuteAsync(sql, parameters);
    }

    /// <summary>Every row of every table, as text (<see cref="DatabaseSnapshot"/>): equal snapshots mean nothing was written.</summary>
    public Task<string> SnapshotAsync()
    {
        _ = Server;
        return DatabaseSnapshot.OfAsync(DatabaseFile);
    }

    /// <summary>A connection to the database file, once the service has started (and so migrated it).</summary>
    private async Task<SqliteConnection> OpenAsync()
    {
        _ = Server;
        var connection = new SqliteConnection($"Data Source={DatabaseFile};Pooling=False");
        await connection.OpenAsync();
        return connection;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        SqliteConnection.ClearAllPools();
        if (!_ownsDatabase)
        {
            return;
        }

        foreach (var file in new[] { DatabaseFile, DatabaseFile + "-wal", DatabaseFile + "-shm", DatabaseFile + DatabaseLock.Suffix })
        {
            try
            {
                File.Delete(file);
            }
            catch (IOException)
            {
                // A leftover temp file is harmless.
            }
        }
    }
}
