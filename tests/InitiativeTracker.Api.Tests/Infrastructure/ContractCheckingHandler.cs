namespace InitiativeTracker.Api.Tests.Infrastructure;

/// <summary>An answer the service gave that openapi.yaml does not describe.</summary>
public sealed class ContractViolationException(string message) : Exception(message);

/// <summary>
/// Sits in every client <see cref="TrackerFactory"/> hands out and checks each answer against
/// openapi.yaml (<see cref="OpenApiContract"/>): a documented status, content type and, for JSON, a body
/// that validates against the documented schema, and an ETag and Location exactly where documented. A
/// mismatch fails the test that received the answer.
/// </summary>
public sealed class ContractCheckingHandler : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        // The document lists GETs only: a HEAD answers as its GET does, without the body.
        var head = request.Method == HttpMethod.Head;
        var headers = response.Headers.Concat(response.Content.Headers).Select(h => h.Key).ToList();
        var errors = OpenApiContract.Committed.Check(
            head ? "GET" : request.Method.Method, request.RequestUri!.AbsolutePath, (int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, body, headers).ToList();
        if (head && body.Length > 0)
        {
            errors.Add($"HEAD {request.RequestUri.AbsolutePath} → {(int)response.StatusCode}: a HEAD answer has no body, this one has {body.Length} characters.");
        }

        if (errors.Count > 0)
        {
            throw new ContractViolationException(
                $"The answer to {request.Method} {request.RequestUri.PathAndQuery} does not match openapi.yaml:\n  {string.Join("\n  ", errors)}\nBody: {body}");
        }

        return response;
    }
}
