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
    public static readonly Reference Meeting = new("meeting", "SELECT 1 FROM meetings WHERE id = @Id;");
    public static readonly Reference Direction = new("direction", "SELECT 1 FROM directions WHERE id = @Id;");
    public static readonly Reference Owner = new("owner", "SELECT 1 FROM owners WHERE id = @Id AND deleted_at IS NULL;");
    public static readonly Reference TaskForce = new("task force", "SELECT 1 FROM task_forces WHERE id = @Id AND deleted_at IS NULL;");

    public static Task RequireAsync(
        this SqliteConnection connection, SqliteTransaction transaction, Reference target, long? id, string field, CancellationToken ct) =>
        connection.RequireAllAsync(transaction, ct, (target, id, field));

    /// <summary>Throws one validation exception naming every reference in <paramref name="references"/> whose row is missing.</summary>
    public static async Task RequireAllAsync(
        this SqliteConnection connection, SqliteTransaction transaction, CancellationToken ct, params (Reference Target, long? Id, string Field)[] references)
    {
        var missing = await connection.MissingAsync(transaction, references, ct);
        if (missing.Count > 0)
        {
            throw new ValidationException(missing);
        }
    }

    /// <summary>A failure for each reference whose row is missing (a null id references nothing).</summary>
    public static async Task<List<ValidationFailure>> MissingAsync(
        this SqliteConnection connection, SqliteTransaction transaction, IEnumerable<(Reference Target, long? Id, string Field)> references, CancellationToken ct)
    {
        List<ValidationFailure> missing = [];
        foreach (var (target, id, field) in references)
        {
            if (id is null)
            {
                continue;
            }

            var found = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(target.ExistsSql, new { Id = id }, transaction, cancellationToken: ct));
            if (found is null)
            {
                missing.Add(new ValidationFailure(field, Missing(target.What, id.Value)));
            }
        }

        return missing;
    }

    /// <summary>The message of a reference to a missing row: "No direction with id 999 exists."</summary>
    public static string Missing(string what, long id) => $"No {what} with id {id} exists.";
}

/// <summary>A kind of row that others reference: its name in messages, and the query (of <c>@Id</c>) that finds a live one.</summary>
public sealed record Reference(string What, string ExistsSql);
