using InitiativeTracker.Client.Models;

namespace InitiativeTracker.Cli.Http;

/// <summary>
/// Reports an error answer that is not JSON (a reverse proxy's HTML 502 page, a bare 404) as a problem,
/// with the status's reason as its title and the start of the text as its detail. The generated client
/// reads only the problems the document lists (the service's own, in JSON), and says no more than "the
/// request failed" of anything else. It sits outside <see cref="ResilientHandler"/>, so it sees the
/// answer only once the retries are spent.
/// </summary>
internal sealed class PlainErrorHandler : DelegatingHandler
{
    private const int DetailLength = 300;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        var mediaType = response.Content.Headers.ContentType?.MediaType ?? "";
        if ((int)response.StatusCode < 400 || mediaType.EndsWith("json", StringComparison.OrdinalIgnoreCase))
        {
            return response;
        }

        using (response)
        {
            var text = (await response.Content.ReadAsStringAsync(cancellationToken)).Trim();
            throw new ProblemDetails
            {
                Title = response.ReasonPhrase ?? "Error",
                Status = (int)response.StatusCode,
                Detail = text.Length <= DetailLength ? text : text[..DetailLength] + "…",
                ResponseStatusCode = (int)response.StatusCode,
            };
        }
    }
}
