using InitiativeTracker.Api.Infrastructure.Http;
namespace InitiativeTracker.Api.Features.Directions;

/// <summary>A strategic direction set by a meeting.</summary>
internal sealed record DirectionResponse : IVersioned
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
}
