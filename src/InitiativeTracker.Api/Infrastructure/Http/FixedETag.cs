using System.Text.Json.Nodes;
using InitiativeTracker.Api.Infrastructure.OpenApi;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace InitiativeTracker.Api.Infrastructure.Http;

/// <summary>
/// Endpoint metadata for a GET of a resource that never changes: its ETag is fixed for good and has a
/// form of its own (not a quoted version), so it can be revalidated with If-None-Match but never taken
/// for the version of another resource. It documents that ETag on the 200, and the If-None-Match and
/// 304 that come with it.
/// </summary>
public sealed record FixedETagMetadata(string Description, string Example) : IOperationDocumentation
{
    public void Describe(OpenApiOperation operation, OpenApiOperationTransformerContext context)
    {
        var etag = new OpenApiHeader
        {
            Description = Description,
            Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            Example = JsonValue.Create(Example),
        };
        operation.AddSuccessHeader(SharedComponents.ETagHeader, etag, s => s == "200");
        ConditionalRequestMiddleware.Describe(operation, context, etag);
    }
}
