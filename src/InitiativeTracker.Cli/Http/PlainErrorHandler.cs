using System.Net.Http.Headers;
using System.Text.Json;

namespace InitiativeTracker.Cli.Http;

/// <summary>
/// Gives an error answer that is not JSON (a reverse proxy's HTML 502 page, a bare 404) the shape of a
/// problem, with the status's reason as its title and the start of the text as its detail, so it is
/// reported like any other problem (the generated client alone reports only "the request failed").
/// </summary>
internal sealed class PlainErrorHandler : DelegatingHandler
{
    private const int DetailLength = 300;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        var mediaType = response.Content.Headers.ContentType?.MediaType ?? "";
        if (response.IsSuccessStatusCode || mediaType.EndsWith("json", StringComparison.OrdinalIgnoreCase))
        {
            return response;
        }

        var text = (await response.Content.ReadAsStringAsync(cancellationToken)).Trim();
        var problem = JsonSerializer.Serialize(new
        {
            title = response.ReasonPhrase ?? "Error",
            status = (int)response.StatusCode,
            detail = text.Length <= DetailLength ? text : text[..DetailLength] + "…",
        });
        response.Content = new StringContent(problem, new MediaTypeHeaderValue("application/problem+json"));
        return response;
    }
}
