using InitiativeTracker.Api.Infrastructure.Http;
using InitiativeTracker.Api.Infrastructure.OpenApi;
namespace InitiativeTracker.Api.Features.Directions;

/// <summary>A strategic direction set by a meeting.</summary>
internal sealed record DirectionResponse : IVersioned, IDocumentedExample<DirectionResponse>
{
    public const string Columns = """
        id AS Id, meeting_id AS MeetingId, number AS Number, title AS Title, description AS Description,
        version AS Version, created_at AS CreatedAt, updated_at AS UpdatedAt
        """;

    public const string SelectById = $"SELECT {Columns} FROM directions WHERE id = @Id;";

    public long Id { get; init; }
    public long MeetingId { get; init; }
    public int Number { get; init; }
    public required string Title { get; init; }
    public string? Description { get; init; }
    public long Version { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; init; }

    public static DirectionResponse Example => new()
    {
        Id = 2,
        MeetingId = 1,
        Number = 2,
        Title = "Look beyond the UASR and strengthen degree and non-degree programs",
        Description = "Bring in high-quality overseas resources from industry and enterprises.",
        Version = 1,
        CreatedAt = DocumentedExample.Created,
        UpdatedAt = DocumentedExample.Created,
    };
}
