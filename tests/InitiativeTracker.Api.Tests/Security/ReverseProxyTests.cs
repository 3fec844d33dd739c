using System.Net;
using System.Text.RegularExpressions;
using InitiativeTracker.Api.Tests.Infrastructure;

namespace InitiativeTracker.Api.Tests.Security;

/// <summary>
/// The real service behind a real nginx that terminates TLS: the client's address and scheme the service
/// sees (its request log line says them) are those nginx forwarded, because nginx's address is a configured
/// proxy; the same headers sent straight to the service by anyone else are ignored, and per-address rate
/// limiting counts clients behind the proxy, not the proxy, and cannot be dodged with a forged header.
/// Every party has a loopback address of its own: the clients 127.0.0.2 and 127.0.0.4, nginx 127.0.0.3.
/// </summary>
[Trait("Category", "Hostile")]
public sealed partial class ReverseProxyTests : IDisposable
{
    private const string ClientA = "127.0.0.2";
    private const string ClientB = "127.0.0.4";

    private readonly string _folder = Directory.CreateTempSubdirectory("initiative-tracker-proxy-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task TheServiceSeesTheClientBehindTheProxyAndIgnoresForgedHeadersFromOthers()
    {
        await using var service = await ServiceProcess.StartAsync(Path.Combine(_folder, "tracker.db"),
            "--Tracker:ForwardedHeaders:KnownProxies:0", Nginx.ProxyAddress);
        await using var nginx = await Nginx.StartAsync(service.Address);

        using var viaProxy = Nginx.ClientFrom(ClientA, nginx.Address);
        (await SeenAsync(service, viaProxy, forged: false)).Should().Be((ClientA, "https"));
        // A header the client adds itself is appended to by nginx: the address nginx saw still comes last.
        (await SeenAsync(service, viaProxy, forged: true)).Should().Be((ClientA, "https"));

        using var direct = Nginx.ClientFrom(ClientA, service.Address);
        (await SeenAsync(service, direct, forged: true)).Should().Be((ClientA, "http"), "only the configured proxy is believed");
    }

    [Fact]
    public async Task WithoutConfiguredProxiesForwardedHeadersAreIgnoredEvenFromLoopback()
    {
        await using var service = await ServiceProcess.StartAsync(Path.Combine(_folder, "tracker.db"));
        await using var nginx = await Nginx.StartAsync(service.Address);

        using var viaProxy = Nginx.ClientFrom(ClientA, nginx.Address);
        (await SeenAsync(service, viaProxy, forged: false)).Should().Be((Nginx.ProxyAddress, "http"));
        using var direct = Nginx.ClientFrom(ClientA, service.Address);
        (await SeenAsync(service, direct, forged: true)).Should().Be((ClientA, "http"));
    }

    [Fact]
    public async Task RateLimitsCountEachClientBehindTheProxyAndCannotBeDodgedWithAForgedHeader()
    {
        const int permits = 3;
        await using var service = await ServiceProcess.StartAsync(Path.Combine(_folder, "tracker.db"),
            "--Tracker:ForwardedHeaders:KnownProxies:0", Nginx.ProxyAddress, "--Tracker:RateLimit:PermitsPerMinute", $"{permits}");
        await using var nginx = await Nginx.StartAsync(service.Address);
        using var a = Nginx.ClientFrom(ClientA, nginx.Address);
        using var b = Nginx.ClientFrom(ClientB, nginx.Address);

        // Without a key, requests count against the client's address.
        for (var i = 0; i < permits; i++)
        {
            (await a.GetAsync("/api/v1/meetings")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        }

        (await a.GetAsync("/api/v1/meetings")).StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        using var forged = new HttpRequestMessage(HttpMethod.Get, "/api/v1/meetings") { Headers = { { "X-Forwarded-For", "198.51.100.7" } } };
        (await a.SendAsync(forged)).StatusCode.Should().Be(HttpStatusCode.TooManyRequests, "a forged address does not open a fresh window");
        (await b.GetAsync("/api/v1/meetings")).StatusCode.Should().Be(HttpStatusCode.Unauthorized, "another client behind the same proxy has its own window");
    }

    [Fact]
    public async Task TheHttpsRedirectSeesTheSchemeTheProxyForwardsAndNoForgedOne()
    {
        // An https port to send clients to, as an install behind a TLS-terminating proxy names: the redirect and HSTS are on.
        await using var service = await ServiceProcess.StartAsync(Path.Combine(_folder, "tracker.db"),
            "--Tracker:ForwardedHeaders:KnownProxies:0", Nginx.ProxyAddress, "--https_port", "8443");
        await using var nginx = await Nginx.StartAsync(service.Address);
        using var viaProxy = Nginx.ClientFrom(ClientA, nginx.Address);
        using var direct = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = service.Address };

        var proxied = await viaProxy.GetAsync("/api/v1/meetings");
        proxied.StatusCode.Should().Be(HttpStatusCode.Unauthorized, "the client came in over https, as the proxy says: not redirected");

        using var forged = new HttpRequestMessage(HttpMethod.Get, "/api/v1/meetings") { Headers = { { "X-Forwarded-Proto", "https" } } };
        var refused = await direct.SendAsync(forged);
        refused.StatusCode.Should().Be(HttpStatusCode.TemporaryRedirect, "plain http straight to the service is sent to https, whatever it claims");
        refused.Headers.Location!.ToString().Should().Be($"https://{service.Address.Host}:8443/api/v1/meetings");
        // Health probes ask the internal http port and are answered there.
        (await direct.GetAsync("/health/ready")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    /// <summary>Sends one request and reads the client address and scheme from the service's request log line for it.</summary>
    private static async Task<(string Client, string Scheme)> SeenAsync(ServiceProcess service, HttpClient client, bool forged)
    {
        var marker = Guid.NewGuid().ToString("N");
        // A path no route matches is logged as it is, marker included; with a key, as the fallback policy wants.
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/health/live/{marker}");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", ServiceProcess.AdminKey);
        if (forged)
        {
            request.Headers.Add("X-Forwarded-For", "198.51.100.7");
            request.Headers.Add("X-Forwarded-Proto", "https");
        }

        (await client.SendAsync(request)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            var line = LogLine().Matches(service.Output).FirstOrDefault(m => m.Groups["path"].Value.Contains(marker, StringComparison.Ordinal));
            if (line is not null)
            {
                return (line.Groups["client"].Value, line.Groups["scheme"].Value);
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"No request line for {marker}:\n{service.Output}");
    }

    [GeneratedRegex(@"GET (?<path>\S+) 404 \S+ ms key=\S+ client=(?<client>\S+) scheme=(?<scheme>\S+)")]
    private static partial Regex LogLine();
}
