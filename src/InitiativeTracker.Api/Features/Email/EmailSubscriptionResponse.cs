using InitiativeTracker.Api.Infrastructure.Http;
using InitiativeTracker.Api.Infrastructure.OpenApi;

namespace InitiativeTracker.Api.Features.Email;

/// <summary>A coordinator's subscription to the weekly digest, optionally narrowed to a direction or a task force.</summary>
internal sealed record EmailSubscriptionResponse : IVersioned, IDocumentedExample<EmailSubscriptionResponse>
{
    public const string Columns = """
        id AS Id, email AS Email, name AS Name, direction_id AS DirectionId, task_force_id AS TaskForceId,
        version AS Version, created_at AS CreatedAt
        """;

    public const string SelectById = $"SELECT {Columns} FROM email_subscriptions WHERE id = @Id;";

    public long Id { get; init; }
    public required string Email { get; init; }
    public string? Name { get; init; }

    /// <summary>Only this direction's initiatives; null: every direction.</summary>
    public long? DirectionId { get; init; }

    /// <summary>Only this task force's initiatives; null: every task force.</summary>
    public long? TaskForceId { get; init; }

    public long Version { get; init; }
    public DateTime CreatedAt { get; init; }

    public static EmailSubscriptionResponse Example => new()
    {
        Id = 3,
        Email = "coordination@example.edu",
        Name = "Coordination office",
        DirectionId = 2,
        Version = 1,
        CreatedAt = DocumentedExample.Created,
    };
}
