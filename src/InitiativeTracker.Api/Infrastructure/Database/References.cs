using Dapper;
using FluentValidation;
using FluentValidation.Results;
using Microsoft.Data.Sqlite;

namespace InitiativeTracker.Api.Infrastructure.Database;

/// <summary>
/// Checks, inside the write transaction, that referenced rows exist: a reference to a missing row is
/// a 400 keyed by the field that holds it (the spec's <c>directionId: 999</c> rule). A write that holds
/// several references has them all checked, and every missing one is reported in the same 400.
/// </summary>
public static class References
{
    public const string Meeting = "SELECT 1 FROM meetings WHERE id = @Id;";
    public const string Direction = "SELECT 1 FROM directions WHERE id = @Id;";
    public const string Owner = "SELECT 1 FROM owners WHERE id = @Id AND deleted_at IS NULL;";
    public const string TaskForce = "SELECT 1 FROM task_forces WHERE id = @Id AND deleted_at IS NULL;";

    public static Task RequireAsync(
        this SqliteConnection connection, SqliteTransaction transaction, string existsSql, long? id, string field, CancellationToken ct) =>
        connection.RequireAllAsync(transaction, ct, (existsSql, id, field));

    /// <summary>Throws one validation exception naming every reference in <paramref name="references"/> whose row is missing.</summary>
    public static async Task RequireAllAsync(
        this SqliteConnection connection, SqliteTransaction transaction, CancellationToken ct, params (string ExistsSql, long? Id, string Field)[] references)
    {
        var missing = await connection.MissingAsync(transaction, references, ct);
        if (missing.Count > 0)
        {
            throw new ValidationException(missing);
        }
    }

    /// <summary>A failure for each reference whose row is missing (a null id references nothing).</summary>
    public static async Task<List<ValidationFailure>> MissingAsync(
        this SqliteConnection connection, SqliteTransaction transaction, IEnumerable<(string ExistsSql, long? Id, string Field)> references, CancellationToken ct)
    {
        List<ValidationFailure> missing = [];
        foreach (var (existsSql, id, field) in references)
        {
            if (id is null)
            {
                continue;
            }

            var found = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(existsSql, new { Id = id }, transaction, cancellationToken: ct));
            if (found is null)
            {
                missing.Add(new ValidationFailure(field, Missing(Describe(existsSql), id.Value)));
            }
        }

        return missing;
    }

    /// <summary>The message of a reference to a missing row: "No direction with id 999 exists."</summary>
    public static string Missing(string what, long id) => $"No {what} with id {id} exists.";

    private static string Describe(string existsSql) => existsSql switch
    {
        Meeting => "meeting",
        Direction => "direction",
        Owner => "owner",
        TaskForce => "task force",
        _ => "row",
    };
}
