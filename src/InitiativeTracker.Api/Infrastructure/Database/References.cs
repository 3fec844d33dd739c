using Dapper;
using InitiativeTracker.Api.Infrastructure.Errors;
using Microsoft.Data.Sqlite;

namespace InitiativeTracker.Api.Infrastructure.Database;

/// <summary>
/// Checks, inside the write transaction, that a referenced row exists: a reference to a missing row is
/// a 400 keyed by the field that holds it (the spec's <c>directionId: 999</c> rule).
/// </summary>
public static class References
{
    public const string Meeting = "SELECT 1 FROM meetings WHERE id = @Id;";
    public const string Direction = "SELECT 1 FROM directions WHERE id = @Id;";
    public const string Owner = "SELECT 1 FROM owners WHERE id = @Id AND deleted_at IS NULL;";
    public const string TaskForce = "SELECT 1 FROM task_forces WHERE id = @Id AND deleted_at IS NULL;";

    public static async Task RequireAsync(
        this SqliteConnection connection, SqliteTransaction transaction, string existsSql, long? id, string field, CancellationToken ct)
    {
        if (id is null)
        {
            return;
        }

        var found = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(existsSql, new { Id = id }, transaction, cancellationToken: ct));
        if (found is null)
        {
            throw Invalid.Field(field, $"No {Describe(existsSql)} with id {id} exists.");
        }
    }

    private static string Describe(string existsSql) => existsSql switch
    {
        Meeting => "meeting",
        Direction => "direction",
        Owner => "owner",
        TaskForce => "task force",
        _ => "row",
    };
}
