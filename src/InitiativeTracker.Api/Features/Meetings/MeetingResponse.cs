using InitiativeTracker.Api.Infrastructure.Http;
namespace InitiativeTracker.Api.Features.Meetings;

/// <summary>A meeting whose decisions the tracker follows up.</summary>
internal sealed record MeetingResponse : IVersioned
{
    public const string Columns = """
        id AS Id, title AS Title, held_on AS HeldOn, location AS Location, summary AS Summary,
        version AS Version, created_at AS CreatedAt, updated_at AS UpdatedAt
        """;

    public const string SelectById = $"SELECT {Columns} FROM meetings WHERE id = @Id;";

    public long Id { get; init; }
    public required string Title { get; init; }
    public DateOnly HeldOn { get; init; }
    public string? Location { get; init; }
    public string? Summary { get; init; }
    public long Version { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; init; }
}
