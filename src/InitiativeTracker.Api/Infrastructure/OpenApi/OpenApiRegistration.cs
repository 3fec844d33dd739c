namespace InitiativeTracker.Api.Infrastructure.OpenApi;

public static class OpenApiRegistration
{
    /// <summary>The v1 document with the service's conventions documented (see the transformers).</summary>
    public static IServiceCollection AddTrackerOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(o =>
        {
            o.AddSchemaTransformer<SchemaTransformer>();
            o.AddOperationTransformer<OperationTransformer>();
            o.AddOperationTransformer<CsvResponseTransformer>();
            o.AddDocumentTransformer<DocumentTransformer>();
        });
}
