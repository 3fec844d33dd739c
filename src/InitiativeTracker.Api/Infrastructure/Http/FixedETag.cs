namespace InitiativeTracker.Api.Infrastructure.Http;

/// <summary>
/// Endpoint metadata for a GET of a resource that never changes: its ETag is fixed for good and has a
/// form of its own (not a quoted version), so it can be revalidated with If-None-Match but never taken
/// for the version of another resource. The OpenAPI transformer documents that ETag, and the
/// If-None-Match/304 that come with it, from this.
/// </summary>
public sealed record FixedETagMetadata(string Description, string Example);

public static class FixedETagExtensions
{
    public static RouteHandlerBuilder WithFixedETag(this RouteHandlerBuilder builder, string description, string example) =>
        builder.WithMetadata(new FixedETagMetadata(description, example));
}
