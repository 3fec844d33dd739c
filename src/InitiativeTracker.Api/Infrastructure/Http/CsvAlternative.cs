using InitiativeTracker.Api.Infrastructure.OpenApi;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace InitiativeTracker.Api.Infrastructure.Http;

/// <summary>
/// Endpoint metadata added by <see cref="CsvResult{T}"/>: the 200 answer is also available as CSV,
/// documented beside its JSON form.
/// </summary>
public sealed class CsvAlternative : IOperationDocumentation
{
    public static readonly CsvAlternative Instance = new();

    private CsvAlternative()
    {
    }

    public void Describe(OpenApiOperation operation, OpenApiOperationTransformerContext context)
    {
        if (operation.Responses?.GetValueOrDefault("200") is not OpenApiResponse { Content: { } content } ok)
        {
            return;
        }

        content[Csv.ContentType] = new OpenApiMediaType
        {
            Schema = new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Description = "RFC 4180 CSV, UTF-8 with a byte-order mark, CRLF line ends, a header row of the JSON field names, "
                    + "every row (no paging), with 'Content-Disposition: attachment'. Sent for '?format=csv', or, without '?format', "
                    + "when Accept rates text/csv above application/json (q-values count: 'text/csv;q=0' refuses it; '*/*' and ties are JSON).",
            },
        };
        ok.Headers ??= new Dictionary<string, IOpenApiHeader>();
        ok.Headers["Vary"] = new OpenApiHeader
        {
            Description = "Accept: the same URL answers JSON or CSV by the request's Accept header.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String },
        };
    }
}
