using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Authentication;

namespace InitiativeTracker.Client;

/// <summary>
/// Sends the tracker API key as <c>Authorization: Bearer &lt;key&gt;</c>. Kiota's own bearer and API-key
/// providers refuse plain http, and the tracker is often reached as http://localhost (or in-process in
/// tests), so this one sends the key to whatever base URL the client was given.
/// </summary>
public sealed class BearerKeyAuthenticationProvider : IAuthenticationProvider
{
    private readonly string _key;

    public BearerKeyAuthenticationProvider(string key)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        _key = key;
    }

    public Task AuthenticateRequestAsync(
        RequestInformation request,
        Dictionary<string, object>? additionalAuthenticationContext = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Headers.Remove("Authorization");
        request.Headers.Add("Authorization", $"Bearer {_key}");
        return Task.CompletedTask;
    }
}
