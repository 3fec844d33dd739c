namespace InitiativeTracker.Api.Infrastructure.OpenApi;

public static class OpenApiRegistration
{
    /// <summary>
    /// The v1 document. The endpoints' own metadata (result types, parameter types, conventions) says
    /// what each operation does; the transformers turn validators into schema rules and add what belongs
    /// to the whole document.
    /// </summary>
    public static IServiceCollection AddTrackerOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(o =>
        {
            o.AddSchemaTransformer<SchemaTransformer>();
            o.AddOperationTransformer<OperationTransformer>();
            o.AddDocumentTransformer<DocumentTransformer>();
        });
}
