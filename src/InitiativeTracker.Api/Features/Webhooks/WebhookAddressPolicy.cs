using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace InitiativeTracker.Api.Features.Webhooks;

/// <summary>
/// Keeps webhooks from reaching into the network the service runs in (SSRF): a webhook URL must be
/// http(s) with a host, and that host must neither be nor resolve to a loopback, private, link-local
/// or otherwise non-public address, unless it is listed in <c>Tracker:Webhooks:AllowedHosts</c>.
/// The URL is checked when a webhook is written and before each send, and the address actually
/// connected to is checked again (<see cref="WebhookSender"/>'s connect callback), so a name that
/// resolves differently at send time (DNS rebinding) cannot slip through.
/// </summary>
internal sealed class WebhookAddressPolicy(IOptions<WebhookOptions> options, TimeProvider time)
{
    public const int MaxUrlLength = 2000;

    private static readonly TimeSpan s_resolveTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Every range that is not the public internet: a webhook may not target these.</summary>
    private static readonly IPNetwork[] s_nonPublic =
    [
        // IPv4
        IPNetwork.Parse("0.0.0.0/8"),        // "this network", unspecified
        IPNetwork.Parse("10.0.0.0/8"),       // private
        IPNetwork.Parse("100.64.0.0/10"),    // carrier-grade NAT
        IPNetwork.Parse("127.0.0.0/8"),      // loopback
        IPNetwork.Parse("169.254.0.0/16"),   // link-local (cloud metadata lives here)
        IPNetwork.Parse("172.16.0.0/12"),    // private
        IPNetwork.Parse("192.0.0.0/24"),     // IETF protocol assignments
        IPNetwork.Parse("192.0.2.0/24"),     // documentation
        IPNetwork.Parse("192.88.99.0/24"),   // 6to4 relay anycast
        IPNetwork.Parse("192.168.0.0/16"),   // private
        IPNetwork.Parse("198.18.0.0/15"),    // benchmarking
        IPNetwork.Parse("198.51.100.0/24"),  // documentation
        IPNetwork.Parse("203.0.113.0/24"),   // documentation
        IPNetwork.Parse("224.0.0.0/4"),      // multicast
        IPNetwork.Parse("240.0.0.0/4"),      // reserved, broadcast
        // IPv6 (IPv4-mapped and -embedding forms are unwrapped first)
        IPNetwork.Parse("::/96"),            // unspecified, loopback, IPv4-compatible (deprecated)
        IPNetwork.Parse("100::/64"),         // discard-only
        IPNetwork.Parse("2001:db8::/32"),    // documentation
        IPNetwork.Parse("fc00::/7"),         // unique local (private)
        IPNetwork.Parse("fe80::/10"),        // link-local
        IPNetwork.Parse("fec0::/10"),        // site-local (deprecated)
        IPNetwork.Parse("ff00::/8"),         // multicast
    ];

    private static readonly IPNetwork s_nat64 = IPNetwork.Parse("64:ff9b::/96");
    private static readonly IPNetwork s_sixToFour = IPNetwork.Parse("2002::/16");

    private readonly HashSet<string> _allowedHosts = options.Value.AllowedHosts
        .Select(NormalizeHost)
        .ToHashSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>Why <paramref name="url"/> may not be a webhook's address, without looking it up; null when its form is fine.</summary>
    public static string? FormRefusal(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return "'url' must be an absolute http or https URL.";
        }

        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
        {
            return "'url' must use http or https.";
        }

        if (string.IsNullOrEmpty(uri.Host))
        {
            return "'url' must name a host.";
        }

        // HttpClient does not send URL credentials anyway; refusing them keeps secrets out of listings.
        return uri.UserInfo.Length > 0 ? "'url' must not carry credentials: receivers authenticate deliveries by their signature." : null;
    }

    /// <summary>Why <paramref name="url"/> may not be a webhook's address, resolving its host; null when it may.</summary>
    public async Task<string?> RefusalAsync(string url, CancellationToken ct)
    {
        if (FormRefusal(url) is { } form)
        {
            return form;
        }

        var host = NormalizeHost(new Uri(url).Host);
        if (IsAllowedHost(host))
        {
            return null;
        }

        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
        {
            return $"'{host}' is a loopback name; webhooks must reach a public address (or a host listed in Tracker:Webhooks:AllowedHosts).";
        }

        IPAddress[] addresses;
        if (IPAddress.TryParse(host, out var literal))
        {
            addresses = [literal];
        }
        else
        {
            using var timeout = new CancellationTokenSource(s_resolveTimeout, time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
            try
            {
                addresses = await Dns.GetHostAddressesAsync(host, linked.Token);
            }
            catch (Exception e) when (e is SocketException || (e is OperationCanceledException && !ct.IsCancellationRequested))
            {
                return $"'{host}' could not be resolved.";
            }
        }

        return AddressRefusal(host, addresses);
    }

    /// <summary>Whether <paramref name="host"/> is listed in <c>Tracker:Webhooks:AllowedHosts</c>.</summary>
    public bool IsAllowedHost(string host) => _allowedHosts.Contains(NormalizeHost(host));

    /// <summary>Why a host that resolved to <paramref name="addresses"/> may not be reached; null when it may.</summary>
    public static string? AddressRefusal(string host, IReadOnlyCollection<IPAddress> addresses)
    {
        if (addresses.Count == 0)
        {
            return $"'{host}' could not be resolved.";
        }

        var blocked = addresses.FirstOrDefault(a => !IsPublic(a));
        return blocked is null
            ? null
            : IPAddress.TryParse(host, out _)
                ? $"'{host}' is not a public address (loopback, private, link-local or reserved); list it in Tracker:Webhooks:AllowedHosts to allow it."
                : $"'{host}' resolves to {blocked}, which is not a public address (loopback, private, link-local or reserved); list the host in Tracker:Webhooks:AllowedHosts to allow it.";
    }

    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6 && Embedded(address) is { } embedded)
        {
            return IsPublic(embedded);
        }

        return !s_nonPublic.Any(n => n.BaseAddress.AddressFamily == address.AddressFamily && n.Contains(address));
    }

    /// <summary>The IPv4 address a NAT64 or 6to4 address stands for: it is judged as that address.</summary>
    private static IPAddress? Embedded(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        if (s_nat64.Contains(address))
        {
            return new IPAddress(bytes.AsSpan(12, 4));
        }

        return s_sixToFour.Contains(address) ? new IPAddress(bytes.AsSpan(2, 4)) : null;
    }

    /// <summary>"[::1]" → "::1": <see cref="Uri.Host"/> brackets IPv6 literals, DNS and configuration do not.</summary>
    private static string NormalizeHost(string host) => host.Trim().TrimStart('[').TrimEnd(']').TrimEnd('.');
}
