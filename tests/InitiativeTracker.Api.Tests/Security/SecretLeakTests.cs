using System.Collections.Concurrent;
using System.Net;
using System.Text;
using InitiativeTracker.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace InitiativeTracker.Api.Tests.Security;

/// <summary>The service with every log line, at every level, kept for inspection.</summary>
public sealed class LogCapturingFactory : TrackerFactory
{
    public ConcurrentQueue<string> Logs { get; } = new();

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Logging:LogLevel:Default"] = "Trace",
        ["Logging:LogLevel:Microsoft"] = "Trace",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.AddLogging(logging => logging.AddProvider(new CapturingLoggerProvider(Logs))));
    }

    private sealed class CapturingLoggerProvider(ConcurrentQueue<string> logs) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new CapturingLogger(categoryName, logs);

        public void Dispose()
        {
        }
    }

    private sealed class CapturingLogger(string category, ConcurrentQueue<string> logs) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull
        {
            logs.Enqueue($"scope {category}: {state}");
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(", ", pairs.Select(p => $"{p.Key}={p.Value}")) : "";
            logs.Enqueue($"{logLevel} {category}: {formatter(state, exception)} [{values}] {exception}");
        }
    }
}

/// <summary>Secrets are stored only as hashes and logged never: keys appear in logs by name alone.</summary>
public sealed class SecretLeakTests(LogCapturingFactory factory) : IClassFixture<LogCapturingFactory>
{
    [Fact]
    public async Task NoSecretReachesTheDatabaseFileOrTheLogs()
    {
        var admin = factory.Admin();
        var created = await admin.CreateAsync("/api/v1/api-keys", new { name = "Leak probe", role = "admin" });
        var id = created["id"]!.GetValue<long>();
        var key = created["key"]!.GetValue<string>();
        var client = factory.WithKey(key);
        client.DefaultRequestHeaders.Add("X-Api-Key", key);

        // Use the key every way a request can go: success, a write, a bad body, a missing route, revocation, refusal.
        await (await client.GetAsync("/api/v1/meetings")).ShouldBe(HttpStatusCode.OK);
        await (await client.PostJsonAsync("/api/v1/owners", """{"name":"Written by the probe"}""")).ShouldBe(HttpStatusCode.Created);
        await (await client.PostJsonAsync("/api/v1/owners", """{"name":""")).ShouldBeProblem(HttpStatusCode.BadRequest);
        await (await client.GetAsync("/api/v1/nowhere")).ShouldBeProblem(HttpStatusCode.NotFound);
        await (await factory.WithKey(key + "x").GetAsync("/api/v1/meetings")).ShouldBeProblem(HttpStatusCode.Unauthorized);
        (await admin.DeleteAsync($"/api/v1/api-keys/{id}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        await (await client.GetAsync("/api/v1/meetings")).ShouldBeProblem(HttpStatusCode.Unauthorized);

        var stored = DatabaseBytes();
        Contains(stored, key).Should().BeFalse("the database holds only the key's hash");
        Contains(stored, key[..12]).Should().BeTrue("the prefix is stored, which shows the search reads the files");

        var logs = factory.Logs.ToArray();
        var secretPart = key[ApiKeyPrefixLength..];
        logs.Should().NotContain(l => l.Contains(key, StringComparison.Ordinal), "no log line may carry a key");
        logs.Should().NotContain(l => l.Contains(secretPart, StringComparison.Ordinal));
        logs.Should().NotContain(l => l.Contains(TrackerFactory.AdminKey, StringComparison.Ordinal));
        logs.Should().Contain(l => l.Contains("Leak probe", StringComparison.Ordinal), "keys are logged by name");
    }

    [Theory]
    [InlineData("GET", "/api/v1/nowhere", HttpStatusCode.NotFound)]
    [InlineData("DELETE", "/api/v1/meetings", HttpStatusCode.MethodNotAllowed)]
    [InlineData("PATCH", "/api/v1/owners/1", HttpStatusCode.MethodNotAllowed)]
    public async Task UnknownRoutesAndMethodsAreProblems(string method, string url, HttpStatusCode status)
    {
        var response = await factory.Admin().SendAsync(new HttpRequestMessage(new HttpMethod(method), url));

        await response.ShouldBeProblem(status);
    }

    [Fact]
    public async Task UnreadableInputIsAProblemWithoutInternals()
    {
        var response = await factory.Admin().PostJsonAsync("/api/v1/owners", """{"name": 12""");

        var text = (await response.ShouldBeProblem(HttpStatusCode.BadRequest)).ToJsonString();
        text.Should().NotContainAny("Exception", "   at ", "System.", "SELECT", "INSERT");
    }

    private const int ApiKeyPrefixLength = 12;

    private byte[] DatabaseBytes()
    {
        using var all = new MemoryStream();
        foreach (var file in new[] { factory.DatabaseFile, factory.DatabaseFile + "-wal" }.Where(File.Exists))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            stream.CopyTo(all);
        }

        return all.ToArray();
    }

    private static bool Contains(byte[] haystack, string text) =>
        haystack.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0 || haystack.AsSpan().IndexOf(Encoding.Unicode.GetBytes(text)) >= 0;
}
