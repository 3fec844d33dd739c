using InitiativeTracker.Api.Infrastructure.Auth;
using InitiativeTracker.Api.Infrastructure.Http;

namespace InitiativeTracker.Api.Features.ApiKeys;

/// <summary>What a key may do: the roles of the spec's security table.</summary>
internal enum ApiKeyRole
{
    Admin,
    Lead,
    Coordinator,
    Viewer,
}

internal static class ApiKeyRoles
{
    /// <summary>The role claim (and stored text) of <paramref name="role"/>.</summary>
    public static string ToRole(this ApiKeyRole role) => role switch
    {
        ApiKeyRole.Admin => Roles.Admin,
        ApiKeyRole.Lead => Roles.Lead,
        ApiKeyRole.Coordinator => Roles.Coordinator,
        ApiKeyRole.Viewer => Roles.Viewer,
        _ => throw new ArgumentOutOfRangeException(nameof(role)),
    };
}

/// <summary>An API key's metadata. The secret is never part of it: only its non-secret prefix.</summary>
internal record ApiKeyResponse : IVersioned
{
    /// <summary>The projection every key query selects; its aliases match this record.</summary>
    public const string Columns = """
        id AS Id, name AS Name, role AS Role, owner_id AS OwnerId, prefix AS Prefix,
        created_at AS CreatedAt, expires_at AS ExpiresAt, last_used_at AS LastUsedAt, revoked_at AS RevokedAt,
        version AS Version
        """;

    public const string SelectById = $"SELECT {Columns} FROM api_keys WHERE id = @Id;";

    public long Id { get; init; }

    /// <summary>Unique among keys, revoked ones included; the audit trail names the key's actions by it.</summary>
    public required string Name { get; init; }

    public ApiKeyRole Role { get; init; }

    /// <summary>The owner a lead key acts for; null for other roles.</summary>
    public long? OwnerId { get; init; }

    /// <summary>The first characters of the key, to recognise it by; not enough to use it.</summary>
    public required string Prefix { get; init; }

    public DateTime CreatedAt { get; init; }

    /// <summary>From this instant the key no longer authenticates; null: it does not expire.</summary>
    public DateTime? ExpiresAt { get; init; }

    /// <summary>When the key last authenticated a request, to the minute.</summary>
    public DateTime? LastUsedAt { get; init; }

    /// <summary>When the key was revoked; a revoked key never authenticates again.</summary>
    public DateTime? RevokedAt { get; init; }

    public long Version { get; init; }
}

/// <summary>The answer to creating a key: its metadata and, this once, the secret itself.</summary>
internal sealed record CreatedApiKeyResponse : ApiKeyResponse
{
    [System.Diagnostics.CodeAnalysis.SetsRequiredMembers]
    public CreatedApiKeyResponse(ApiKeyResponse metadata, string key)
        : base(metadata) => Key = key;

    /// <summary>The secret, sent as the bearer token (or X-Api-Key) of later requests. It is not stored and is never shown again.</summary>
    public string Key { get; }
}
