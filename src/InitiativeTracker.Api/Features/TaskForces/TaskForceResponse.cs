using InitiativeTracker.Api.Infrastructure.Http;
namespace InitiativeTracker.Api.Features.TaskForces;

/// <summary>A dedicated task force that carries initiatives through.</summary>
internal sealed record TaskForceResponse : IVersioned
{
    public const string Columns = """
        id AS Id, name AS Name, mandate AS Mandate, lead_id AS LeadId,
        version AS Version, created_at AS CreatedAt, updated_at AS UpdatedAt
        """;

    /// <summary>An archived task force reads as missing: it is gone from the API, kept only for history.</summary>
    public const string SelectById = $"SELECT {Columns} FROM task_forces WHERE id = @Id AND deleted_at IS NULL;";

    public long Id { get; init; }
    public required string Name { get; init; }
    public string? Mandate { get; init; }
    public long? LeadId { get; init; }
    public long Version { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; init; }
}
