using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace InitiativeTracker.Api.Infrastructure.OpenApi;

/// <summary>
/// Fills in what the generator cannot know: the description, the API-key security schemes, and no
/// host-specific <c>servers</c>, so the committed <c>openapi.yaml</c> and the served document compare equal.
/// </summary>
internal sealed class DocumentTransformer : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "InitiativeTracker API",
            Version = "v1",
            Description = "Tracks the initiatives derived from the strategic directions of Xi'an Jiaotong University's "
                + "June 5, 2023 meeting: owners, task forces, deadlines, progress check-ins and execution reports. "
                + "Authenticate with 'Authorization: Bearer <key>' or 'X-Api-Key: <key>'. Errors are application/problem+json.",
        };
        document.Servers = [];

        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>
        {
            ["bearer"] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "An API key sent as 'Authorization: Bearer <key>'.",
            },
            ["apiKey"] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = "X-Api-Key",
                Description = "The same API key, sent as 'X-Api-Key: <key>'.",
            },
        };
        document.Security =
        [
            new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("bearer", document)] = [] },
            new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("apiKey", document)] = [] },
        ];
        return Task.CompletedTask;
    }
}
