using FluentValidation;

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
