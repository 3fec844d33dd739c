using InitiativeTracker.Api.Infrastructure.Http;
using InitiativeTracker.Api.Infrastructure.OpenApi;
namespace InitiativeTracker.Api.Features.Initiatives;

/// <summary>An initiative with the fields derived from "today" in the tracker's time zone.</summary>
internal sealed record InitiativeResponse : IVersioned, IDocumentedExample<InitiativeResponse>
{
    public long Id { get; init; }
    public long DirectionId { get; init; }
    public long OwnerId { get; init; }
    public long? TaskForceId { get; init; }
    public required string Title { get; init; }
    public string? Description { get; init; }
    public DateOnly? StartDate { get; init; }
    public DateOnly Deadline { get; init; }

    /// <summary>The first deadline, never changed by later moves.</summary>
    public DateOnly OriginalDeadline { get; init; }

    public InitiativeStatus Status { get; init; }
    public int Progress { get; init; }
    public Health Health { get; init; }

    /// <summary>The date it was done (tracker time zone); null unless done.</summary>
    public DateOnly? CompletedOn { get; init; }

    /// <summary>Open and its deadline is before today.</summary>
    public bool IsOverdue { get; init; }

    /// <summary>Today − deadline while overdue, else 0.</summary>
    public int DaysOverdue { get; init; }

    /// <summary>Deadline − today (negative once overdue) while open; null once closed.</summary>
    public int? DaysUntilDeadline { get; init; }

    public DateTime? LastCheckInAt { get; init; }

    /// <summary>How many times the deadline was moved.</summary>
    public int DeadlineChanges { get; init; }

    public long Version { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; init; }

    public static InitiativeResponse Example => new()
    {
        Id = 42,
        DirectionId = 2,
        OwnerId = 7,
        TaskForceId = 3,
        Title = "Joint technology transfer center in Almaty",
        Description = "With two partner universities",
        StartDate = new DateOnly(2026, 1, 15),
        Deadline = new DateOnly(2026, 12, 31),
        OriginalDeadline = new DateOnly(2026, 10, 31),
        Status = InitiativeStatus.InProgress,
        Progress = 40,
        Health = Health.AtRisk,
        CompletedOn = null,
        IsOverdue = false,
        DaysOverdue = 0,
        DaysUntilDeadline = 273,
        LastCheckInAt = DocumentedExample.Updated,
        DeadlineChanges = 1,
        Version = 3,
        CreatedAt = DocumentedExample.Created,
        UpdatedAt = DocumentedExample.Updated,
    };
}
