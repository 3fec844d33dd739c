using System.Text.Json;
using System.Text.Json.Nodes;
using InitiativeTracker.Api.Features.Initiatives;
using InitiativeTracker.Api.Infrastructure.Audit;
using InitiativeTracker.Api.Infrastructure.Http;

namespace InitiativeTracker.Api.Features.Audit;

/// <summary>An audit entry as stored, its changes still JSON text.</summary>
internal sealed record AuditEntryRow
{
    public const string Columns = """
        id AS Id, occurred_at AS OccurredAt, actor AS Actor, entity_type AS EntityType,
        entity_id AS EntityId, action AS Action, changes AS Changes
        """;

    public long Id { get; init; }
    public DateTime OccurredAt { get; init; }
    public required string Actor { get; init; }
    public required string EntityType { get; init; }
    public long EntityId { get; init; }
    public required string Action { get; init; }
    public required string Changes { get; init; }

    public AuditEntryResponse ToResponse() => new()
    {
        Id = Id,
        OccurredAt = OccurredAt,
        Actor = Actor,
        EntityType = EnumText.Parse<AuditEntityType>(EntityType),
        EntityId = EntityId,
        Action = EnumText.Parse<AuditAction>(Action),
        Changes = JsonSerializer.Deserialize<Dictionary<string, FieldChange>>(Changes, TrackerJson.Options)!,
    };
}

/// <summary>Who changed what, and when: one write to one entity.</summary>
internal sealed record AuditEntryResponse
{
    public long Id { get; init; }
    public DateTime OccurredAt { get; init; }

    /// <summary>The name of the API key that made the change ("system" for the service's own work).</summary>
    public required string Actor { get; init; }

    public required AuditEntityType EntityType { get; init; }

    public long EntityId { get; init; }

    /// <summary>What was done to the entity.</summary>
    public AuditAction Action { get; init; }

    /// <summary>Each changed field as <c>{ "field": { "before": …, "after": … } }</c>; before is null on create, after on delete.</summary>
    public required IReadOnlyDictionary<string, FieldChange> Changes { get; init; }
}

/// <summary>One changed field: its value before and after the write, as the resource's JSON gives it.</summary>
internal sealed record FieldChange
{
    /// <summary>The value before the write; null on create.</summary>
    public JsonNode? Before { get; init; }

    /// <summary>The value after the write; null on delete.</summary>
    public JsonNode? After { get; init; }
}
