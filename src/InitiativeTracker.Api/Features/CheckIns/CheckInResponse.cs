using InitiativeTracker.Api.Features.Initiatives;

namespace InitiativeTracker.Api.Features.CheckIns;

/// <summary>A check-in as stored (statuses and health as their text). Clients see <see cref="CheckInResponse"/>.</summary>
internal sealed record CheckInRow
{
    public const string Columns = """
        id AS Id, initiative_id AS InitiativeId, progress AS Progress, status AS Status,
        previous_status AS PreviousStatus, health AS Health, note AS Note,
        reported_by AS ReportedBy, reported_at AS ReportedAt
        """;

    public long Id { get; init; }
    public long InitiativeId { get; init; }
    public int Progress { get; init; }
    public required string Status { get; init; }
    public required string PreviousStatus { get; init; }
    public required string Health { get; init; }
    public string? Note { get; init; }
    public required string ReportedBy { get; init; }
    public DateTime ReportedAt { get; init; }

    public CheckInResponse ToResponse() => new()
    {
        Id = Id,
        InitiativeId = InitiativeId,
        Progress = Progress,
        Status = EnumText.Parse<InitiativeStatus>(Status),
        PreviousStatus = EnumText.Parse<InitiativeStatus>(PreviousStatus),
        Health = EnumText.Parse<Initiatives.Health>(Health),
        Note = Note,
        ReportedBy = ReportedBy,
        ReportedAt = ReportedAt,
    };
}

/// <summary>One progress report on an initiative. Check-ins are append-only: never changed, never deleted on their own.</summary>
internal sealed record CheckInResponse
{
    public long Id { get; init; }
    public long InitiativeId { get; init; }

    /// <summary>The progress the initiative was set to (100 for done, whatever was sent).</summary>
    public int Progress { get; init; }

    /// <summary>The status the initiative was set to.</summary>
    public InitiativeStatus Status { get; init; }

    /// <summary>The status the initiative had before this check-in.</summary>
    public InitiativeStatus PreviousStatus { get; init; }

    public Initiatives.Health Health { get; init; }
    public string? Note { get; init; }

    /// <summary>The name of the API key that reported it.</summary>
    public required string ReportedBy { get; init; }

    /// <summary>Server time of the report.</summary>
    public DateTime ReportedAt { get; init; }
}
