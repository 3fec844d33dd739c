using InitiativeTracker.Api.Infrastructure.Http;
using InitiativeTracker.Api.Infrastructure.OpenApi;
namespace InitiativeTracker.Api.Features.Owners;

/// <summary>A person accountable for initiatives.</summary>
internal sealed record OwnerResponse : IVersioned, IDocumentedExample<OwnerResponse>
{
    /// <summary>The projection every owner query selects; its aliases match this record.</summary>
    public const string Columns = """
        id AS Id, name AS Name, email AS Email, unit AS Unit, email_reminders AS EmailReminders,
        version AS Version, created_at AS CreatedAt, updated_at AS UpdatedAt
        """;

    /// <summary>An archived owner reads as missing: it is gone from the API, kept only for history.</summary>
    public const string SelectById = $"SELECT {Columns} FROM owners WHERE id = @Id AND deleted_at IS NULL;";

    public long Id { get; init; }
    public required string Name { get; init; }
    public string? Email { get; init; }
    public string? Unit { get; init; }

    /// <summary>Whether the owner gets the daily deadline reminder email (when email is configured and the owner has an email).</summary>
    public bool EmailReminders { get; init; }

    public long Version { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; init; }

    public static OwnerResponse Example => new()
    {
        Id = 7,
        Name = "Li Na",
        Email = "li.na@example.edu",
        Unit = "School of Mechanical Engineering",
        EmailReminders = true,
        Version = 1,
        CreatedAt = DocumentedExample.Created,
        UpdatedAt = DocumentedExample.Created,
    };
}
