using System.Globalization;
using System.Security.Claims;

namespace InitiativeTracker.Api.Infrastructure.Auth;

/// <summary>The caller of the current request, as the audit trail and lead scoping see it.</summary>
public sealed class CurrentActor(IHttpContextAccessor accessor)
{
    private ClaimsPrincipal? User => accessor.HttpContext?.User;

    /// <summary>The API key's name; "system" for work the service does on its own.</summary>
    public string Name => User?.Identity?.Name ?? "system";

    public string? Role => User?.FindFirstValue(ClaimTypes.Role);

    public long? OwnerId => User?.FindFirstValue(ApiKeyAuthentication.OwnerIdClaim) is { } id
        ? long.Parse(id, CultureInfo.InvariantCulture)
        : null;
}
