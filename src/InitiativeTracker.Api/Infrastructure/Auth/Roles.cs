namespace InitiativeTracker.Api.Infrastructure.Auth;

/// <summary>The roles of the spec's security table; the role claim of a request carries one of them.</summary>
public static class Roles
{
    public const string Admin = "admin";
    public const string Lead = "lead";
    public const string Coordinator = "coordinator";
    public const string Viewer = "viewer";

    public static readonly string[] All = [Admin, Lead, Coordinator, Viewer];
}

/// <summary>The authorization policies every endpoint names one of.</summary>
public static class Policies
{
    /// <summary>Any valid key: read resources and reports.</summary>
    public const string Read = "read";

    /// <summary>Change data: admins, and leads (whose scope handlers narrow further).</summary>
    public const string Write = "write";

    /// <summary>Read the audit trail: everyone but viewers.</summary>
    public const string ReadAudit = "read-audit";

    /// <summary>Manage keys and reference data (meetings, directions, owners, task forces), and delete initiatives: admins only.</summary>
    public const string Admin = "admin";

    /// <summary>Manage email subscriptions to the weekly digest: admins and coordinators.</summary>
    public const string EmailSubscriptions = "email-subscriptions";

    public static IServiceCollection AddTrackerPolicies(this IServiceCollection services)
    {
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder(ApiKeyAuthentication.SchemeName)
                .RequireAuthenticatedUser().Build())
            .AddPolicy(Read, p => p.AddAuthenticationSchemes(ApiKeyAuthentication.SchemeName).RequireRole(Roles.All))
            .AddPolicy(Write, p => p.AddAuthenticationSchemes(ApiKeyAuthentication.SchemeName).RequireRole(Roles.Admin, Roles.Lead))
            .AddPolicy(ReadAudit, p => p.AddAuthenticationSchemes(ApiKeyAuthentication.SchemeName).RequireRole(Roles.Admin, Roles.Lead, Roles.Coordinator))
            .AddPolicy(EmailSubscriptions, p => p.AddAuthenticationSchemes(ApiKeyAuthentication.SchemeName).RequireRole(Roles.Admin, Roles.Coordinator))
            .AddPolicy(Admin, p => p.AddAuthenticationSchemes(ApiKeyAuthentication.SchemeName).RequireRole(Roles.Admin));
        return services;
    }
}
