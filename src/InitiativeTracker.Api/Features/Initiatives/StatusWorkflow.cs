using InitiativeTracker.Api.Infrastructure.Errors;

namespace InitiativeTracker.Api.Features.Initiatives;

/// <summary>
/// The spec's status table, and the only place it is written down: planned → in_progress → done; any
/// open status ↔ blocked; any open status → cancelled; done → in_progress (a reopen, which needs a
/// note). Staying in the same open status is a progress-only check-in. Cancelled is final.
/// </summary>
internal static class StatusWorkflow
{
    private static readonly Dictionary<InitiativeStatus, InitiativeStatus[]> s_next = new()
    {
        [InitiativeStatus.Planned] = [InitiativeStatus.Planned, InitiativeStatus.InProgress, InitiativeStatus.Blocked, InitiativeStatus.Cancelled],
        [InitiativeStatus.InProgress] = [InitiativeStatus.InProgress, InitiativeStatus.Done, InitiativeStatus.Blocked, InitiativeStatus.Cancelled],
        [InitiativeStatus.Blocked] = [InitiativeStatus.Blocked, InitiativeStatus.Planned, InitiativeStatus.InProgress, InitiativeStatus.Cancelled],
        [InitiativeStatus.Done] = [InitiativeStatus.InProgress],
        [InitiativeStatus.Cancelled] = [],
    };

    /// <summary>The statuses a check-in may set on an initiative that is <paramref name="from"/>, itself included when it may stay.</summary>
    public static IReadOnlyList<InitiativeStatus> AllowedFrom(InitiativeStatus from) => s_next[from];

    public static bool IsAllowed(InitiativeStatus from, InitiativeStatus to) => s_next[from].Contains(to);

    /// <summary>done → in_progress: completion is withdrawn, and someone must say why.</summary>
    public static bool IsReopen(InitiativeStatus from, InitiativeStatus to) =>
        from == InitiativeStatus.Done && to == InitiativeStatus.InProgress;

    /// <summary>Throws the 409 invalid-transition problem, naming the allowed statuses, unless <paramref name="from"/> → <paramref name="to"/> is in the table.</summary>
    public static void EnsureAllowed(InitiativeStatus from, InitiativeStatus to)
    {
        if (IsAllowed(from, to))
        {
            return;
        }

        var allowed = AllowedFrom(from).Select(s => s.ToText()).ToArray();
        var detail = allowed.Length == 0
            ? $"The initiative is '{from.ToText()}', which is final: no check-in can change it."
            : $"An initiative that is '{from.ToText()}' cannot become '{to.ToText()}'. Allowed: {string.Join(", ", allowed)}.";
        throw new ProblemException(StatusCodes.Status409Conflict, ProblemTypes.InvalidTransition, "Invalid Status Transition", detail,
            extensions: new Dictionary<string, object?> { ["allowed"] = allowed });
    }
}
