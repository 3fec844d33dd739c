using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

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

/// <summary>The text the database and the JSON use for the enums (snake_case unless a value names its own).</summary>
internal static class EnumText
{
    public static string ToText<T>(this T value)
        where T : struct, Enum => Texts<T>.ByValue[value];

    public static T Parse<T>(string text)
        where T : struct, Enum => TryParse<T>(text, out var value) ? value : throw new FormatException($"Unknown {typeof(T).Name} '{text}'.");

    public static bool TryParse<T>(string? text, out T value)
        where T : struct, Enum
    {
        if (text is not null && Texts<T>.ByText.TryGetValue(text, out value))
        {
            return true;
        }

        value = default;
        return false;
    }

    /// <summary>
    /// An enum value as the API spells it, as the JSON converter writes it: its
    /// <see cref="JsonStringEnumMemberNameAttribute"/> if it has one, else snake_case. What the cached maps below hold.
    /// </summary>
    public static string NameOf(Enum value) =>
        value.GetType().GetField(value.ToString())?.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name
        ?? JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());

    public static string Names<T>()
        where T : struct, Enum => string.Join(", ", Enum.GetValues<T>().Select(v => v.ToText()));

    /// <summary>Both directions of the mapping, built once per enum: rows convert these on every read.</summary>
    private static class Texts<T>
        where T : struct, Enum
    {
        public static readonly Dictionary<T, string> ByValue =
            Enum.GetValues<T>().ToDictionary(v => v, v => NameOf(v));

        public static readonly Dictionary<string, T> ByText = ByValue.ToDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);
    }
}
