using InitiativeTracker.Api.Infrastructure.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace InitiativeTracker.Api.Infrastructure.OpenApi;

/// <summary>Documents the CSV form of a report beside its JSON form, both under the 200 answer.</summary>
internal sealed class CsvResponseTransformer : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (!context.Description.ActionDescriptor.EndpointMetadata.OfType<CsvAlternative>().Any()
            || operation.Responses?.TryGetValue("200", out var ok) != true || ok!.Content is null)
        {
            return Task.CompletedTask;
        }

        ok.Content[Csv.ContentType] = new OpenApiMediaType
        {
            Schema = new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Description = "RFC 4180 CSV, UTF-8 with a byte-order mark, CRLF line ends, a header row of the JSON field names, "
                    + "every row (no paging), with 'Content-Disposition: attachment'. Sent for '?format=csv', or, without '?format', "
                    + "when Accept rates text/csv above application/json (q-values count: 'text/csv;q=0' refuses it; '*/*' and ties are JSON).",
            },
        };
        if (ok is OpenApiResponse response)
        {
            response.Headers ??= new Dictionary<string, IOpenApiHeader>();
            response.Headers["Vary"] = new OpenApiHeader
            {
                Description = "Accept: the same URL answers JSON or CSV by the request's Accept header.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            };
        }

        return Task.CompletedTask;
    }
}
