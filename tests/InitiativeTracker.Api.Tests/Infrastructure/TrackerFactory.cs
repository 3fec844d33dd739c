using System.Net.Http.Headers;
using Dapper;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
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

    public TrackerFactory()
    {
        Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "initiative-tracker-tests"));
        DatabaseFile = Path.Combine(Path.GetTempPath(), "initiative-tracker-tests", $"{Guid.NewGuid():N}.db");
    }

    public FakeTimeProvider Clock { get; } = new(Start);

    public string DatabaseFile { get; }

    /// <summary>Extra configuration a test class needs, applied over the defaults.</summary>
    protected virtual IDictionary<string, string?> Settings => new Dictionary<string, string?>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Tracker", $"Data Source={DatabaseFile}");
        builder.UseSetting("Tracker:BootstrapAdminKey", AdminKey);
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureServices(services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Clock)));
    }

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
        await using var connection = new SqliteConnection($"Data Source={DatabaseFile};Pooling=False");
        await connection.OpenAsync();
        return await connection.ExecuteScalarAsync<T>(sql, parameters) ?? throw new InvalidOperationException("No value.");
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { DatabaseFile, DatabaseFile + "-wal", DatabaseFile + "-shm" })
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
