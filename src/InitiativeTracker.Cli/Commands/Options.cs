using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Reflection;
using System.Runtime.Serialization;
using Microsoft.Kiota.Abstractions;

namespace InitiativeTracker.Cli.Commands;

/// <summary>Option shapes the commands share: ids, ISO dates, and the API's enum text.</summary>
internal static class Options
{
    public static Argument<long> IdArgument(string what) => new("id") { Description = $"The {what}'s id." };

    public static Option<long?> Id(string name, string description) => new(name) { Description = description };

    public static Option<string?> Text(string name, string description, bool required = false) =>
        new(name) { Description = description, Required = required };

    public static Option<int?> Number(string name, string description, bool required = false) =>
        new(name) { Description = description, Required = required };

    public static Option<DateOnly?> Date(string name, string description, bool required = false) => new(name)
    {
        Description = description + " (yyyy-MM-dd)",
        Required = required,
        CustomParser = ParseDate,
    };

    /// <summary>An option that takes one of <typeparamref name="T"/>'s values as the API spells them (tab-completed).</summary>
    public static Option<string?> OneOf<T>(string name, string description, bool required = false)
        where T : struct, Enum =>
        new Option<string?>(name) { Description = description, Required = required }.AcceptOnlyFromAmong(EnumText.Names<T>());

    /// <summary>Like <see cref="OneOf{T}"/>, repeatable (<c>--status a --status b</c>).</summary>
    public static Option<string[]> ManyOf<T>(string name, string description)
        where T : struct, Enum =>
        new Option<string[]>(name) { Description = description + " Repeat for several." }.AcceptOnlyFromAmong(EnumText.Names<T>());

    /// <summary>Read first when given: the write applies only if the resource is still at this version (412 otherwise).</summary>
    public static Option<long?> IfVersion() => Id("--if-version",
        "Apply only if the initiative is still at this version (as read earlier); by default the version read just before the write.");

    public static Date? ToKiota(this DateOnly? date) => date is { } d ? new Date(d.Year, d.Month, d.Day) : null;

    private static DateOnly? ParseDate(ArgumentResult result)
    {
        var text = result.Tokens.Single().Value;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        result.AddError($"'{text}' is not a date: write it as yyyy-MM-dd.");
        return null;
    }
}

/// <summary>The text the API uses for the generated enums' values (their <see cref="EnumMemberAttribute"/>).</summary>
internal static class EnumText
{
    public static string[] Names<T>()
        where T : struct, Enum =>
        Enum.GetValues<T>().Select(NameOf).ToArray();

    public static string NameOf<T>(T value)
        where T : struct, Enum =>
        typeof(T).GetField(value.ToString())?.GetCustomAttribute<EnumMemberAttribute>()?.Value ?? value.ToString();

    public static T Parse<T>(string text)
        where T : struct, Enum =>
        Enum.GetValues<T>().Single(v => NameOf(v) == text);

    public static T? ParseOrNull<T>(string? text)
        where T : struct, Enum =>
        text is null ? null : Parse<T>(text);
}
