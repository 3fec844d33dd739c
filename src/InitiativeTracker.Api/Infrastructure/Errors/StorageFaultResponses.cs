using InitiativeTracker.Api.Infrastructure.Http;
using Microsoft.AspNetCore.Mvc;

namespace InitiativeTracker.Api.Infrastructure.Errors;

public static class StorageFaultRoutes
{
    /// <summary>
    /// Documents the 503 and 507 (<see cref="ProblemExceptionHandler"/>'s answers to a storage fault) on every
    /// operation of the group that writes (any method but GET and HEAD): those are the requests that answer them.
    /// </summary>
    public static TBuilder WithStorageFaults<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder
            .AddMetadataWhere(Writes, new ProducesResponseTypeMetadata(StatusCodes.Status503ServiceUnavailable, typeof(ProblemDetails), ["application/problem+json"]))
            .AddMetadataWhere(Writes, new ProducesResponseTypeMetadata(StatusCodes.Status507InsufficientStorage, typeof(ProblemDetails), ["application/problem+json"]));

    private static bool Writes(IReadOnlyCollection<string> methods, IList<object> metadata) => methods.Any(method => method is not ("GET" or "HEAD"));
}
