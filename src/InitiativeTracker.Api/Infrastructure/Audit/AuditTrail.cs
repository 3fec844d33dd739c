using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using InitiativeTracker.Api.Features.Initiatives;
using InitiativeTracker.Api.Infrastructure.Auth;
using InitiativeTracker.Api.Infrastructure.Http;
using InitiativeTracker.Api.Infrastructure.Time;
using Microsoft.Data.Sqlite;

namespace InitiativeTracker.Api.Infrastructure.Audit;

/// <summary>
/// Records who changed what, in the transaction of the change itself: a write and its audit entry
/// land together or not at all.
/// </summary>
public sealed class AuditTrail(CurrentActor actor, TrackerClock clock)
{
    private const string InsertSql = """
        INSERT INTO audit_entries (occurred_at, actor, entity_type, entity_id, action, changes)
        VALUES (@OccurredAt, @Actor, @EntityType, @EntityId, @Action, @Changes);
        """;

    /// <summary>Bookkeeping fields that change on every write and say nothing about the change.</summary>
    private static readonly HashSet<string> s_ignored = ["version", "createdAt", "updatedAt"];

    public Task RecordAsync(
        SqliteConnection connection,
        SqliteTransaction transaction,
        AuditEntityType entityType,
        long entityId,
        AuditAction action,
        object? before,
        object? after,
        CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(InsertSql, new
        {
            OccurredAt = clock.UtcNowText,
            Actor = actor.Name,
            EntityType = entityType.ToText(),
            EntityId = entityId,
            // Stored as its snake_case name, as the JSON of an audit entry spells it.
            Action = action.ToText(),
            Changes = Changes(before, after).ToJsonString(TrackerJson.Options),
        }, transaction, cancellationToken: ct));

    /// <summary>
    /// Whether <paramref name="after"/> changes nothing of <paramref name="before"/> that the trail would
    /// record. Such a write is not made: it keeps the version, ETag and <c>updatedAt</c>, and leaves no
    /// audit entry and no webhook event.
    /// </summary>
    public static bool IsUnchanged(object before, object after) => Changes(before, after).Count == 0;

    /// <summary><c>{ "field": { "before": …, "after": … } }</c> for every field that differs.</summary>
    public static JsonObject Changes(object? before, object? after)
    {
        var old = before is null ? [] : JsonSerializer.SerializeToNode(before, TrackerJson.Options)!.AsObject();
        var @new = after is null ? [] : JsonSerializer.SerializeToNode(after, TrackerJson.Options)!.AsObject();
        var changes = new JsonObject();
        foreach (var name in old.Select(p => p.Key).Union(@new.Select(p => p.Key)).Where(n => !s_ignored.Contains(n)))
        {
            var was = old[name];
            var now = @new[name];
            if (!JsonNode.DeepEquals(was, now))
            {
                changes[name] = new JsonObject { ["before"] = was?.DeepClone(), ["after"] = now?.DeepClone() };
            }
        }

        return changes;
    }
}
