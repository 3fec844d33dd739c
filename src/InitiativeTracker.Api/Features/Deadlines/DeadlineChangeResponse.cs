namespace InitiativeTracker.Api.Features.Deadlines;

/// <summary>One move of an initiative's deadline. Moves are append-only history, kept so slippage can be reported.</summary>
internal sealed record DeadlineChangeResponse
{
    public const string Columns = """
        id AS Id, initiative_id AS InitiativeId, from_deadline AS "From", to_deadline AS "To",
        reason AS Reason, changed_by AS ChangedBy, changed_at AS ChangedAt
        """;

    public long Id { get; init; }
    public long InitiativeId { get; init; }

    /// <summary>The deadline before the move.</summary>
    public DateOnly From { get; init; }

    /// <summary>The deadline after the move.</summary>
    public DateOnly To { get; init; }

    public required string Reason { get; init; }

    /// <summary>The name of the API key that moved it.</summary>
    public required string ChangedBy { get; init; }

    public DateTime ChangedAt { get; init; }
}
