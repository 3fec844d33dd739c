using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Kiota.Http.HttpClientLibrary;

namespace InitiativeTracker.Client.Tests.Infrastructure;

/// <summary>
/// The service in-process on a database file of its own, a bootstrap admin key and a fake clock (as
/// InitiativeTracker.Api.Tests hosts it), driven through the generated Kiota client.
/// </summary>
public sealed class TrackerFactory : WebApplicationFactory<Program>
{
    public const string AdminKey = "client-tests-admin-key-0123456789";

    /// <summary>2026-03-10 10:00 in Asia/Shanghai, the tracker's default zone.</summary>
    public static readonly DateTimeOffset Start = new(2026, 3, 10, 2, 0, 0, TimeSpan.Zero);

    public TrackerFactory()
    {
        var folder = Path.Combine(Path.GetTempPath(), "initiative-tracker-client-tests");
        Directory.CreateDirectory(folder);
        DatabaseFile = Path.Combine(folder, $"{Guid.NewGuid():N}.db");
    }

    public FakeTimeProvider Clock { get; } = new(Start);

    public string DatabaseFile { get; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Tracker", $"Data Source={DatabaseFile}");
        builder.UseSetting("Tracker:BootstrapAdminKey", AdminKey);
        builder.UseSetting("Tracker:RateLimit:PermitsPerMinute", "1000000");
        builder.ConfigureServices(services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Clock)));
    }

    /// <summary>The generated client as the bootstrap admin.</summary>
    public TrackerApiClient Admin() => Client(AdminKey);

    /// <summary>
    /// The generated client for <paramref name="key"/>, over an HttpClient into the in-process server with
    /// Kiota's default handlers (retry, redirect, response-header inspection …), as a real caller has them.
    /// </summary>
    public TrackerApiClient Client(string key) =>
        TrackerClients.Create(CreateDefaultClient([.. KiotaClientFactory.CreateDefaultHandlers()]), key);

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
