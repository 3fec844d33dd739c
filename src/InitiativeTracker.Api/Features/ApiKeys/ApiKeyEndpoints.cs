using InitiativeTracker.Api.Infrastructure.Auth;
using InitiativeTracker.Api.Infrastructure.Http;

namespace InitiativeTracker.Api.Features.ApiKeys;

/// <summary>API keys are managed by admins only; the secret is shown once, in the answer to create.</summary>
internal static class ApiKeyEndpoints
{
    public const string Path = "/api-keys";
    public const string BasePath = ApiRoutes.Prefix + Path;

    public static void MapApiKeyEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Path).WithTags("API keys").RequireAuthorization(Policies.Admin);
        ListApiKeys.Map(group);
        GetApiKey.Map(group);
        CreateApiKey.Map(group);
        RevokeApiKey.Map(group);
    }
}
