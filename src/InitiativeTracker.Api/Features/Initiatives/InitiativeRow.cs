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

    /// <summary>A new initiative (planned, progress 0, on track: the table's defaults), returned as its row; create and import both add one this way.</summary>
    public const string Insert = $"""
        INSERT INTO initiatives (direction_id, owner_id, task_force_id, title, description, start_date,
                                 deadline, original_deadline, created_at, updated_at)
        VALUES (@DirectionId, @OwnerId, @TaskForceId, @Title, @Description, @StartDate, @Deadline, @Deadline, @Now, @Now)
        RETURNING {Columns};
        """;

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
