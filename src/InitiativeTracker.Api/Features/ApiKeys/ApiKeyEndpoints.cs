using InitiativeTracker.Api.Infrastructure.Auth;

namespace InitiativeTracker.Api.Features.ApiKeys;

/// <summary>API keys are managed by admins only; the secret is shown once, in the answer to create.</summary>
internal static class ApiKeyEndpoints
{
    public const string EntityType = "api_key";
    public const string BasePath = "/api/v1/api-keys";

    public static void MapApiKeyEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(BasePath).WithTags("API keys").RequireAuthorization(Policies.Admin);
        ListApiKeys.Map(group);
        GetApiKey.Map(group);
        CreateApiKey.Map(group);
        RevokeApiKey.Map(group);
    }
}
