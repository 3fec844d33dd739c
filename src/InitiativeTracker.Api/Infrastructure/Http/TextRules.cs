using System.Globalization;
using FluentValidation;
using InitiativeTracker.Api.Infrastructure.Database;

namespace InitiativeTracker.Api.Infrastructure.Http;

public static class TextRules
{
    /// <summary>Rejects text that is not well-formed Unicode (a lone surrogate), which would be stored mangled.</summary>
    public static IRuleBuilderOptions<T, string?> WellFormed<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(text => text is null || IsWellFormed(text)).WithMessage("'{PropertyName}' is not well-formed Unicode text.");

    public static IRuleBuilderOptions<T, string?> Required<T>(this IRuleBuilder<T, string?> rule, int maxLength) =>
        rule.NotEmpty().MaximumLength(maxLength).WellFormed();

    public static IRuleBuilderOptions<T, string?> Optional<T>(this IRuleBuilder<T, string?> rule, int maxLength) =>
        rule.MaximumLength(maxLength).WellFormed();

    /// <summary>
    /// A date in the API's one form, yyyy-MM-dd. Query strings bind <see cref="DateOnly"/> by the invariant
    /// culture, which reads "10/03/2026" as October 3: date parameters arrive as text and are held to this.
    /// </summary>
    public static IRuleBuilderOptions<T, string?> IsoDate<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(text => text is null || DateOnly.TryParseExact(text, SqlText.DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            .WithMessage("Use a date in the form yyyy-MM-dd, such as 2026-03-10.");

    private static bool IsWellFormed(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return false;
            }
        }

        return true;
    }
}
