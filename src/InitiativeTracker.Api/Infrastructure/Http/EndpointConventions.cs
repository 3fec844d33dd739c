namespace InitiativeTracker.Api.Infrastructure.Http;

public static class EndpointConventions
{
    /// <summary>
    /// Adds <paramref name="metadata"/> to each endpoint of the group whose methods (and metadata) satisfy
    /// <paramref name="applies"/>; run last, so it sees what each endpoint declared itself.
    /// </summary>
    public static TBuilder AddMetadataWhere<TBuilder>(this TBuilder builder, Func<IReadOnlyCollection<string>, IList<object>, bool> applies, object metadata)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.Finally(endpoint =>
        {
            var methods = endpoint.Metadata.OfType<IHttpMethodMetadata>().SelectMany(m => m.HttpMethods).ToList();
            if (applies(methods, endpoint.Metadata))
            {
                endpoint.Metadata.Add(metadata);
            }
        });
        return builder;
    }
}
