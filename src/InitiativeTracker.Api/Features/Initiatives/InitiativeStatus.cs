using System.Text.Json;

namespace InitiativeTracker.Api.Features.Initiatives;

/// <summary>Where an initiative stands. Open = planned, in_progress, blocked.</summary>
public enum InitiativeStatus
{
    Planned,
    InProgress,
    Blocked,
    Done,
    Cancelled,
}

/// <summary>The owner's judgement of an initiative's course, reported with each check-in.</summary>
public enum Health
{
    OnTrack,
    AtRisk,
    OffTrack,
}

/// <summary>The snake_case text the database and the JSON use for the enums.</summary>
internal static class EnumText
{
    /// <summary>The SQL list of open statuses, for <c>status IN (…)</c>.</summary>
    public const string OpenStatusesSql = "('planned', 'in_progress', 'blocked')";

    public static string ToText<T>(this T value)
        where T : struct, Enum => JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());

    public static T Parse<T>(string text)
        where T : struct, Enum => TryParse<T>(text, out var value) ? value : throw new FormatException($"Unknown {typeof(T).Name} '{text}'.");

    public static bool TryParse<T>(string? text, out T value)
        where T : struct, Enum
    {
        foreach (var candidate in Enum.GetValues<T>())
        {
            if (candidate.ToText() == text)
            {
                value = candidate;
                return true;
            }
        }

        value = default;
        return false;
    }

    public static string Names<T>()
        where T : struct, Enum => string.Join(", ", Enum.GetValues<T>().Select(v => v.ToText()));

    public static bool IsOpen(this InitiativeStatus status) =>
        status is InitiativeStatus.Planned or InitiativeStatus.InProgress or InitiativeStatus.Blocked;
}
