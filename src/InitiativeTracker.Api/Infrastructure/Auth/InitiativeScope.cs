using System.Globalization;
using Dapper;
using InitiativeTracker.Api.Infrastructure.Errors;
using Microsoft.Data.Sqlite;

namespace InitiativeTracker.Api.Infrastructure.Auth;

/// <summary>
/// Which initiatives the caller may write. The endpoint policy (<see cref="Policies.Write"/>) lets admins
/// and leads in; this narrows a lead to the initiatives its owner owns or that belong to a task force its
/// owner leads. Every initiative write open to leads calls it inside its transaction, with the initiative's
/// current owner and task force and, when the write moves it, the new ones too. (Deleting is not open to
/// leads: the spec's role table does not grant it.)
/// </summary>
public sealed class InitiativeScope(CurrentActor actor)
{
    // An archived task force confers nothing: its open initiatives were detached when it was deleted.
    private const string TaskForceLeadSql = "SELECT lead_id FROM task_forces WHERE id = @Id AND deleted_at IS NULL;";

    /// <summary>
    /// Throws a 403 problem, saying why, unless the caller may write an initiative owned by
    /// <paramref name="ownerId"/> within <paramref name="taskForceId"/>.
    /// </summary>
    public async Task RequireWriteAsync(
        SqliteConnection connection, SqliteTransaction transaction, long ownerId, long? taskForceId, CancellationToken ct)
    {
        if (actor.Role == Roles.Admin)
        {
            return;
        }

        if (actor.Role != Roles.Lead || actor.OwnerId is not { } leadOwner)
        {
            throw ProblemException.Forbidden("Only admin and lead keys may write initiatives.");
        }

        if (ownerId == leadOwner)
        {
            return;
        }

        var taskForceLead = taskForceId is { } id
            ? await connection.ExecuteScalarAsync<long?>(new CommandDefinition(TaskForceLeadSql, new { Id = id }, transaction, cancellationToken: ct))
            : null;
        if (taskForceLead == leadOwner)
        {
            return;
        }

        var held = taskForceId is { } tf
            ? string.Create(CultureInfo.InvariantCulture, $"owner {ownerId} in task force {tf}, which owner {leadOwner} does not lead")
            : string.Create(CultureInfo.InvariantCulture, $"owner {ownerId} outside any task force");
        throw ProblemException.Forbidden(string.Create(CultureInfo.InvariantCulture,
            $"This lead key acts for owner {leadOwner}: it may write only initiatives that owner owns or that belong to a task force that owner leads, and this initiative is (or would become) held by {held}."));
    }
}
