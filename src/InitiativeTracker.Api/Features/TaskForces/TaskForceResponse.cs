using InitiativeTracker.Api.Infrastructure.Http;
using InitiativeTracker.Api.Infrastructure.OpenApi;
namespace InitiativeTracker.Api.Features.TaskForces;

/// <summary>A dedicated task force that carries initiatives through.</summary>
internal sealed record TaskForceResponse : IVersioned, IDocumentedExample<TaskForceResponse>
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

    public static TaskForceResponse Example => new()
    {
        Id = 3,
        Name = "Technology Transfer Task Force",
        Mandate = "Commercialize results along the Silk Road",
        LeadId = 7,
        Version = 1,
        CreatedAt = DocumentedExample.Created,
        UpdatedAt = DocumentedExample.Created,
    };
}
