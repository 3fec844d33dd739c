using System.Text.Json.Nodes;
using InitiativeTracker.Api.Infrastructure.Auth;
using InitiativeTracker.Api.Infrastructure.Http;
using InitiativeTracker.Api.Infrastructure.Idempotency;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace InitiativeTracker.Api.Infrastructure.OpenApi;

/// <summary>
/// Documents, for every operation, what the service's conventions add to it, derived from the
/// endpoint's metadata rather than written on each endpoint:
/// <list type="bullet">
/// <item>who may call it (authorization → 401, and 403 when its policy excludes some roles), or that it is public;</item>
/// <item>a route parameter → 404; an If-Match header → 400 (malformed) and 412; a body → 400, 413 and 415; query parameters → 400; any API route → 414;</item>
/// <item>a resource with a version in a 200 or 201 → its ETag, or the fixed ETag an endpoint declares (<see cref="FixedETagMetadata"/>);
/// a GET of a single resource with an ETag → If-None-Match, 304 and 400 (malformed); a resource with an id in a 201 or 202 → Location;</item>
/// <item>every POST under /api/v1 → Idempotency-Key, 409 (in progress), 422 and Idempotent-Replayed; everything under /api/v1 → 429;</item>
/// <item>every problem response as the shared component of its status, and enum values for the status and health filters.</item>
/// </list>
/// </summary>
internal sealed class OperationTransformer(IAuthorizationPolicyProvider policies) : IOpenApiOperationTransformer
{
    public const string MergePatchSuffix = "MergePatch";

    /// <summary>List filters whose values are one of an enum's, by query parameter name.</summary>
    private static readonly Dictionary<string, string> s_enumFilters = new()
    {
        ["status"] = "InitiativeStatus",
        ["health"] = "Health",
    };

    /// <summary>Single-valued filters bound as text (so the snake_case names parse) whose values are an enum's, by operation.</summary>
    private static readonly Dictionary<(string Operation, string Parameter), string> s_textEnumFilters = new()
    {
        [("listWebhookDeliveries", "status")] = "DeliveryStatus",
    };

    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var description = context.Description;
        var document = context.Document!;
        var metadata = description.ActionDescriptor.EndpointMetadata;
        var method = description.HttpMethod ?? "";
        var path = "/" + (description.RelativePath ?? "").TrimEnd('/');
        var isApi = path.StartsWith("/api/v1/", StringComparison.OrdinalIgnoreCase);
        var anonymous = metadata.OfType<IAllowAnonymous>().Any();
        var idempotent = isApi && HttpMethods.IsPost(method) && !metadata.OfType<DisableIdempotencyAttribute>().Any();
        var fixedETag = metadata.OfType<FixedETagMetadata>().LastOrDefault();
        // Revalidation is documented only where the answer has an ETag to revalidate against.
        var singleResource = HttpMethods.IsGet(method) && path.Split('/')[^1].StartsWith('{')
            && ETagOf("200", description.SupportedResponseTypes, fixedETag, document) is not null;

        operation.Parameters ??= [];
        var ifMatch = UseSharedParameter(operation, "If-Match", ParameterNames.IfMatch, document);
        if (singleResource)
        {
            operation.Parameters.Add(new OpenApiParameterReference(ParameterNames.IfNoneMatch, document));
        }

        if (idempotent)
        {
            operation.Parameters.Add(new OpenApiParameterReference(ParameterNames.IdempotencyKey, document));
        }

        DescribeQueryParameters(operation, document);
        DescribeMergePatch(operation, metadata, document);

        var restricted = false;
        if (anonymous)
        {
            operation.Security = [];
            AppendDescription(operation, "Public: no API key is needed.");
        }
        else
        {
            var (roles, otherRequirements) = await AllowedRolesAsync(metadata);
            restricted = otherRequirements || roles.Count < Roles.All.Length;
            AppendDescription(operation, roles.Count == Roles.All.Length
                ? "Access: any API key."
                : $"Access: API keys with the role {string.Join(" or ", roles)}.");
        }

        var responses = operation.Responses ??= [];
        DescribeSuccess(responses, description.SupportedResponseTypes, fixedETag, document, idempotent);
        if (singleResource)
        {
            responses["304"] = new OpenApiResponse
            {
                Description = "Not Modified: If-None-Match names the current ETag. No body.",
                Headers = new Dictionary<string, IOpenApiHeader> { [HeaderNames.ETag] = ETagOf("200", description.SupportedResponseTypes, fixedETag, document)! },
            };
        }

        var hasBody = operation.RequestBody is not null;
        var problems = responses.Keys.Where(IsProblem).ToHashSet();
        Add(problems, "400", hasBody || idempotent || ifMatch || singleResource || operation.Parameters.Any(p => p.In == ParameterLocation.Query));
        Add(problems, "401", !anonymous);
        Add(problems, "403", restricted);
        Add(problems, "404", description.ParameterDescriptions.Any(p => p.Source == BindingSource.Path));
        Add(problems, "409", idempotent);
        Add(problems, "412", ifMatch);
        Add(problems, "413", hasBody);
        Add(problems, "414", isApi);
        Add(problems, "415", hasBody);
        Add(problems, "422", idempotent);
        Add(problems, "429", isApi);
        Add(problems, "5XX", true);
        foreach (var status in problems)
        {
            if (ProblemCatalog.Responses.TryGetValue(status, out var shared))
            {
                responses[status] = new OpenApiResponseReference(shared.Component, document);
            }
        }

        var ordered = responses.OrderBy(r => r.Key, StringComparer.Ordinal).ToList();
        responses.Clear();
        foreach (var (status, response) in ordered)
        {
            responses[status] = response;
        }
    }

    private static bool IsProblem(string status) => status.Length == 3 && status[0] is '4' or '5';

    private static void Add(HashSet<string> statuses, string status, bool when)
    {
        if (when)
        {
            statuses.Add(status);
        }
    }

    /// <summary>Replaces a header parameter the generator made from <c>[FromHeader]</c> with the shared, described one.</summary>
    private static bool UseSharedParameter(OpenApiOperation operation, string header, string component, OpenApiDocument document)
    {
        var index = operation.Parameters!.ToList().FindIndex(p => p.In == ParameterLocation.Header && string.Equals(p.Name, header, StringComparison.OrdinalIgnoreCase));
        if (index < 0)
        {
            return false;
        }

        operation.Parameters![index] = new OpenApiParameterReference(component, document);
        return true;
    }

    private static void DescribeQueryParameters(OpenApiOperation operation, OpenApiDocument document)
    {
        foreach (var parameter in operation.Parameters!.OfType<OpenApiParameter>().Where(p => p.In == ParameterLocation.Query))
        {
            switch (parameter.Name)
            {
                case "page" when parameter.Schema is OpenApiSchema page:
                    page.Minimum = "1";
                    parameter.Description ??= "The page, from 1.";
                    break;
                case "pageSize" when parameter.Schema is OpenApiSchema size:
                    size.Minimum = "1";
                    size.Maximum = ListQuery.MaxPageSize.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    size.Default = JsonValue.Create(ListQuery.DefaultPageSize);
                    parameter.Description ??= $"Items per page, 1 to {ListQuery.MaxPageSize}.";
                    break;
                case "sort":
                    parameter.Description ??= "Comma-separated fields to sort by, each prefixed by '-' for descending (e.g. 'deadline,-updatedAt'); an unknown field is a 400.";
                    break;
                case { } name when s_textEnumFilters.TryGetValue((operation.OperationId ?? "", name), out var component):
                    parameter.Schema = new OpenApiSchemaReference(component, document);
                    break;
                case { } name when s_enumFilters.TryGetValue(name, out var component) && parameter.Schema is OpenApiSchema { Type: JsonSchemaType.Array } list:
                    list.Items = new OpenApiSchemaReference(component, document);
                    parameter.Description ??= $"Only these values; repeat the parameter for several ({name}=a&{name}=b).";
                    // Absent, a repeated filter binds as an empty list (no filter); the generated binder
                    // still describes the array as required.
                    parameter.Required = false;
                    break;
            }
        }
    }

    /// <summary>
    /// An endpoint that reads a raw JSON object but declares the type it patches (<c>Accepts&lt;T&gt;</c>)
    /// takes a merge patch of that type: documented as T's schema with nothing required.
    /// </summary>
    private static void DescribeMergePatch(OpenApiOperation operation, IList<object> metadata, OpenApiDocument document)
    {
        if (metadata.OfType<IAcceptsMetadata>().LastOrDefault()?.RequestType is not { } patched || operation.RequestBody?.Content is not { } content)
        {
            return;
        }

        var id = OpenApiOptions.CreateDefaultSchemaReferenceId(TrackerJson.Options.GetTypeInfo(patched)) + MergePatchSuffix;
        foreach (var media in content.Values.Where(m => m.Schema is OpenApiSchemaReference { Reference.Id: "JsonObject" }))
        {
            media.Schema = new OpenApiSchemaReference(id, document);
        }
    }

    /// <summary>The headers of the success answers: the resource's ETag and Location; the idempotency replay mark.</summary>
    private static void DescribeSuccess(
        OpenApiResponses responses, IList<ApiResponseType> types, FixedETagMetadata? fixedETag, OpenApiDocument document, bool idempotent)
    {
        foreach (var (status, value) in responses.Where(r => r.Key.StartsWith('2')).ToList())
        {
            if (value is not OpenApiResponse response)
            {
                continue;
            }

            response.Headers ??= new Dictionary<string, IOpenApiHeader>();
            if (ETagOf(status, types, fixedETag, document) is { } etag)
            {
                response.Headers[HeaderNames.ETag] = etag;
            }

            // A created resource (201) or queued work to follow (202) that has an id is answered with its address.
            if (status is "201" or "202" && BodyType(status, types)?.GetProperty("Id") is not null)
            {
                response.Headers[HeaderNames.Location] = new OpenApiHeaderReference(HeaderNames.Location, document);
            }

            if (idempotent)
            {
                response.Headers[HeaderNames.IdempotentReplayed] = new OpenApiHeaderReference(HeaderNames.IdempotentReplayed, document);
            }

            if (response.Headers.Count == 0)
            {
                response.Headers = null;
            }
        }
    }

    /// <summary>
    /// The ETag a success answer carries: a versioned resource's (the quoted version) in a 200 or 201, or
    /// the endpoint's fixed one in a 200. A 202's body is queued work that is about to change, so none.
    /// </summary>
    private static IOpenApiHeader? ETagOf(string status, IList<ApiResponseType> types, FixedETagMetadata? fixedETag, OpenApiDocument document)
    {
        if (status == "200" && fixedETag is not null)
        {
            return new OpenApiHeader
            {
                Description = fixedETag.Description,
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                Example = JsonValue.Create(fixedETag.Example),
            };
        }

        return status is "200" or "201" && BodyType(status, types)?.GetProperty("Version") is not null
            ? new OpenApiHeaderReference(HeaderNames.ETag, document)
            : null;
    }

    private static Type? BodyType(string status, IList<ApiResponseType> types) =>
        types.FirstOrDefault(t => t.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture) == status)?.Type;

    /// <summary>The roles every policy on the endpoint admits, and whether some policy requires more than a role.</summary>
    private async Task<(List<string> Roles, bool OtherRequirements)> AllowedRolesAsync(IList<object> metadata)
    {
        IEnumerable<string> allowed = Roles.All;
        var other = false;
        foreach (var data in metadata.OfType<IAuthorizeData>())
        {
            if (data.Roles is { } roles)
            {
                allowed = allowed.Intersect(roles.Split(',', StringSplitOptions.TrimEntries));
            }

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

        return (allowed.ToList(), other);
    }

    private static void AppendDescription(OpenApiOperation operation, string text) =>
        operation.Description = string.IsNullOrEmpty(operation.Description) ? text : $"{operation.Description}\n\n{text}";
}
