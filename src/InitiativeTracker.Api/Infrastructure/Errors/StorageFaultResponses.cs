using InitiativeTracker.Api.Infrastructure.Http;
using InitiativeTracker.Api.Infrastructure.OpenApi;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace InitiativeTracker.Api.Infrastructure.Errors;

public static class StorageFaultRoutes
{
    /// <summary>
    /// Documents the 503 and 507 (<see cref="StorageFaultHandler"/>) on every operation of the group that
    /// writes (any method but GET and HEAD): those are the requests that answer them.
    /// </summary>
    public static TBuilder WithStorageFaults<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddMetadataWhere((methods, _) => methods.Any(method => method is not ("GET" or "HEAD")), StorageFaultResponses.Instance);
}

/// <summary>A write's storage faults in the document: 503 (busy, with Retry-After; an I/O error) and 507 (full).</summary>
public sealed class StorageFaultResponses : IOperationDocumentation
{
    public static readonly StorageFaultResponses Instance = new();

    private StorageFaultResponses()
    {
    }

    public void Describe(OpenApiOperation operation, OpenApiOperationTransformerContext context)
    {
        operation.AddProblem(StatusCodes.Status503ServiceUnavailable);
        operation.AddProblem(StatusCodes.Status507InsufficientStorage);
    }
}
