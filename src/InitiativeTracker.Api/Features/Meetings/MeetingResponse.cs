using InitiativeTracker.Api.Infrastructure.Http;
using InitiativeTracker.Api.Infrastructure.OpenApi;
namespace InitiativeTracker.Api.Features.Meetings;

/// <summary>A meeting whose decisions the tracker follows up.</summary>
internal sealed record MeetingResponse : IVersioned, IDocumentedExample<MeetingResponse>
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

    public static MeetingResponse Example => new()
    {
        Id = 1,
        Title = "Special meeting on implementing the outcomes of the China–Central Asia Summit",
        HeldOn = new DateOnly(2023, 6, 5),
        Location = "Xi'an Jiaotong University",
        Summary = "Set three strategic directions and asked for dedicated task forces.",
        Version = 1,
        CreatedAt = DocumentedExample.Created,
        UpdatedAt = DocumentedExample.Created,
    };
}
