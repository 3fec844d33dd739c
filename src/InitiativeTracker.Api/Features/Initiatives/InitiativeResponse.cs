using InitiativeTracker.Api.Infrastructure.Http;
namespace InitiativeTracker.Api.Features.Initiatives;

/// <summary>An initiative as stored. Handlers read and write this; clients see <see cref="InitiativeResponse"/>.</summary>
internal sealed record InitiativeRow
{
    public const string Columns = """
        id AS Id, direction_id AS DirectionId, owner_id AS OwnerId, task_force_id AS TaskForceId,
        title AS Title, description AS Description, start_date AS StartDate, deadline AS Deadline,
        original_deadline AS OriginalDeadline, status AS Status, progress AS Progress, health AS Health,
        completed_on AS CompletedOn, last_check_in_at AS LastCheckInAt, deadline_changes AS DeadlineChanges,
        version AS Version, created_at AS CreatedAt, updated_at AS UpdatedAt
        """;

    public const string SelectById = $"SELECT {Columns} FROM initiatives WHERE id = @Id;";

    public long Id { get; init; }
    public long DirectionId { get; init; }
    public long OwnerId { get; init; }
    public long? TaskForceId { get; init; }
    public required string Title { get; init; }
    public string? Description { get; init; }
    public DateOnly? StartDate { get; init; }
    public DateOnly Deadline { get; init; }
    public DateOnly OriginalDeadline { get; init; }
    public required string Status { get; init; }
    public int Progress { get; init; }
    public required string Health { get; init; }
    public DateOnly? CompletedOn { get; init; }
    public DateTime? LastCheckInAt { get; init; }
    public int DeadlineChanges { get; init; }
    public long Version { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; init; }

    public InitiativeResponse ToResponse(DateOnly today)
    {
        var status = EnumText.Parse<InitiativeStatus>(Status);
        var open = status.IsOpen();
        var overdue = open && Deadline < today;
        return new InitiativeResponse
        {
            Id = Id,
            DirectionId = DirectionId,
            OwnerId = OwnerId,
            TaskForceId = TaskForceId,
            Title = Title,
            Description = Description,
            StartDate = StartDate,
            Deadline = Deadline,
            OriginalDeadline = OriginalDeadline,
            Status = status,
            Progress = Progress,
            Health = EnumText.Parse<Health>(Health),
            CompletedOn = CompletedOn,
            IsOverdue = overdue,
            DaysOverdue = overdue ? today.DayNumber - Deadline.DayNumber : 0,
            DaysUntilDeadline = open ? Deadline.DayNumber - today.DayNumber : null,
            LastCheckInAt = LastCheckInAt,
            DeadlineChanges = DeadlineChanges,
            Version = Version,
            CreatedAt = CreatedAt,
            UpdatedAt = UpdatedAt,
        };
    }
}

/// <summary>An initiative with the fields derived from "today" in the tracker's time zone.</summary>
internal sealed record InitiativeResponse : IVersioned
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
}
