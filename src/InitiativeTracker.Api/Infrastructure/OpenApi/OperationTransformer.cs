using System.Reflection;
using FluentValidation;
using InitiativeTracker.Api.Infrastructure.Auth;
using InitiativeTracker.Api.Infrastructure.Validation;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace InitiativeTracker.Api.Infrastructure.OpenApi;

/// <summary>
/// Completes each operation from what its endpoint declares:
/// <list type="bullet">
/// <item>the <see cref="IOperationDocumentation"/> its parameter types, result types and conventions attached;</item>
/// <item>who may call it, read from its authorization policies (401, and 403 when a policy excludes some roles), or that it is public;</item>
/// <item>its query parameters' rules, read from the validator of the type that binds them;</item>
/// <item>every problem answer as the shared response of its status, and the 500 of the exception handler for every operation.</item>
/// </list>
/// </summary>
internal sealed class OperationTransformer(IAuthorizationPolicyProvider policies, IServiceProvider services) : IOpenApiOperationTransformer
{
    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        operation.Responses ??= [];
        foreach (var documentation in metadata.OfType<IOperationDocumentation>())
        {
            documentation.Describe(operation, context);
        }

        await DescribeAccessAsync(operation, metadata);
        DescribeQueryParameters(operation, context.Description);
        // The exception handler's 500 (ProblemExceptionHandler): the one server failure not listed where it applies
        // (503 and 507 are, on the writes). A status, not the 5XX range: as true here, and every generator reads it
        // (NSwag writes 5XX as a C# literal: RicoSuter/NSwag#4141).
        operation.Responses.TryAdd("500", new OpenApiResponse());

        var ordered = operation.Responses.OrderBy(r => r.Key, StringComparer.Ordinal).ToList();
        operation.Responses.Clear();
        foreach (var (status, response) in ordered)
        {
            operation.Responses[status] = IsProblem(status) && ProblemCatalog.Responses.TryGetValue(status, out var shared)
                ? new OpenApiResponseReference(shared.Component, context.Document)
                : response;
        }
    }

    private static bool IsProblem(string status) => status[0] is '4' or '5';

    private async Task DescribeAccessAsync(OpenApiOperation operation, IList<object> metadata)
    {
        if (metadata.OfType<IAllowAnonymous>().Any())
        {
            operation.Security = [];
            AppendDescription(operation, "Public: no API key is needed.");
            return;
        }

        IEnumerable<string> allowed = Roles.All;
        var other = false;
        foreach (var data in metadata.OfType<IAuthorizeData>())
        {
            var policy = data.Policy is null ? await policies.GetDefaultPolicyAsync() : await policies.GetPolicyAsync(data.Policy);
            foreach (var requirement in policy?.Requirements ?? [])
            {
                switch (requirement)
                {
                    case RolesAuthorizationRequirement role:
                        allowed = allowed.Intersect(role.AllowedRoles);
                        break;
                    case DenyAnonymousAuthorizationRequirement:
                        break;
                    default:
                        other = true;
                        break;
                }
            }
        }

        var roles = allowed.ToList();
        operation.AddProblem(StatusCodes.Status401Unauthorized);
        if (other || roles.Count < Roles.All.Length)
        {
            operation.AddProblem(StatusCodes.Status403Forbidden);
        }

        AppendDescription(operation, roles.Count == Roles.All.Length
            ? "Access: any API key."
            : $"Access: API keys with the role {string.Join(" or ", roles)}.");
    }

    /// <summary>A query parameter bound from a type with a validator says what that validator holds it to.</summary>
    private void DescribeQueryParameters(OpenApiOperation operation, ApiDescription description)
    {
        foreach (var parameter in description.ParameterDescriptions.Where(p => p.Source == BindingSource.Query))
        {
            if (parameter.ParameterDescriptor is not IParameterInfoParameterDescriptor { ParameterInfo.Member: PropertyInfo property }
                || Validators.For(services, property.ReflectedType!) is not { } validator
                || operation.Parameters?.OfType<OpenApiParameter>().FirstOrDefault(p => p.In == ParameterLocation.Query && p.Name == parameter.Name) is not { } documented
                || documented.Schema is not OpenApiSchema schema)
            {
                continue;
            }

            if (ValidatorSchemas.Describe(validator.CreateDescriptor(), property.Name, schema) is { } component)
            {
                // The enum's own schema, the one the answers refer to: the same values, one type in a client.
                documented.Schema = new OpenApiSchemaReference(component);
                continue;
            }

            if (schema.Description is { } rule)
            {
                // A rule's own words (the sort fields) belong to the parameter.
                documented.Description ??= rule;
                schema.Description = null;
            }

            if (schema.Type?.HasFlag(JsonSchemaType.Array) == true)
            {
                // Absent, a repeated filter binds as an empty list (no filter); the generated binder still
                // describes the array as required.
                documented.Required = false;
                documented.Description ??= $"Only these values; repeat the parameter for several ({parameter.Name}=a&{parameter.Name}=b).";
            }
        }
    }

    private static void AppendDescription(OpenApiOperation operation, string text) =>
        operation.Description = string.IsNullOrEmpty(operation.Description) ? text : $"{operation.Description}\n\n{text}";
}
