using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace InitiativeTracker.Api.Infrastructure.OpenApi;

/// <summary>
/// Endpoint metadata that documents what its behaviour adds to an operation: a parameter type's header,
/// a result type's headers, a convention's responses. It is added by the code that causes the behaviour
/// (an <c>IEndpointParameterMetadataProvider</c>, an <c>IEndpointMetadataProvider</c> or a group
/// convention), so the document says what the endpoint does rather than what a name suggests;
/// <see cref="OperationTransformer"/> applies each in order.
/// </summary>
public interface IOperationDocumentation
{
    void Describe(OpenApiOperation operation, OpenApiOperationTransformerContext context);
}

/// <summary>An <see cref="IOperationDocumentation"/> written as a delegate, for conventions.</summary>
public sealed class OperationDocumentation(Action<OpenApiOperation, OpenApiOperationTransformerContext> describe) : IOperationDocumentation
{
    public void Describe(OpenApiOperation operation, OpenApiOperationTransformerContext context) => describe(operation, context);
}

public static class OperationDocumentationExtensions
{
    /// <summary>Adds a header from the document's shared components to the success (2xx) answers.</summary>
    public static void AddSuccessHeader(this OpenApiOperation operation, string header, IOpenApiHeader value, Func<string, bool>? status = null)
    {
        foreach (var (code, response) in operation.Responses ?? [])
        {
            if (code.StartsWith('2') && (status?.Invoke(code) ?? true) && response is OpenApiResponse concrete)
            {
                concrete.Headers ??= new Dictionary<string, IOpenApiHeader>();
                concrete.Headers[header] = value;
            }
        }
    }

    /// <summary>Adds a parameter from the document's shared components.</summary>
    public static void AddSharedParameter(this OpenApiOperation operation, string component, OpenApiOperationTransformerContext context)
    {
        operation.Parameters ??= [];
        operation.Parameters.Add(new OpenApiParameterReference(component, context.Document));
    }

    /// <summary>Declares a problem answer; <see cref="OperationTransformer"/> points it at the shared response of its status.</summary>
    public static void AddProblem(this OpenApiOperation operation, int status)
    {
        operation.Responses ??= [];
        operation.Responses.TryAdd(status.ToString(System.Globalization.CultureInfo.InvariantCulture), new OpenApiResponse());
    }
}
