using Microsoft.Kiota.Http.HttpClientLibrary;

namespace InitiativeTracker.Client;

/// <summary>Builds the generated <see cref="TrackerApiClient"/> for one API key.</summary>
public static class TrackerClients
{
    /// <summary>
    /// A client that sends <paramref name="apiKey"/> through <paramref name="httpClient"/>, whose
    /// <see cref="HttpClient.BaseAddress"/> is the service's root (openapi.yaml names no server). Build
    /// the HttpClient with Kiota's handlers (<c>KiotaClientFactory.CreateDefaultHandlers()</c>) to get
    /// its retries and response-header inspection.
    /// </summary>
    public static TrackerApiClient Create(HttpClient httpClient, string apiKey) => new(CreateAdapter(httpClient, apiKey));

    /// <summary>
    /// The request adapter <see cref="Create"/> builds its client on, for a caller that also sends a
    /// generated request's <c>RequestInformation</c> itself (with a body or an Accept the generated
    /// method does not offer, such as CSV).
    /// </summary>
    public static HttpClientRequestAdapter CreateAdapter(HttpClient httpClient, string apiKey)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        var baseAddress = httpClient.BaseAddress
            ?? throw new ArgumentException("The HttpClient needs a BaseAddress: the service's root URL.", nameof(httpClient));
        return new HttpClientRequestAdapter(new BearerKeyAuthenticationProvider(apiKey), httpClient: httpClient)
        {
            BaseUrl = baseAddress.AbsoluteUri.TrimEnd('/'),
        };
    }
}
