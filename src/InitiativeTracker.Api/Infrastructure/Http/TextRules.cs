using System.Buffers;
using System.Globalization;
using FluentValidation;
using FluentValidation.Validators;

namespace InitiativeTracker.Api.Infrastructure.Http;

/// <summary>Whether a text field holds one line (a title, a name) or may run over several (a description, a note).</summary>
public enum TextShape
{
    SingleLine,
    MultiLine,
}

/// <summary>
/// The one rule for the free text of a request. Every string field of a request body is normalized as it
/// is read (<see cref="Normalize"/>, applied by <see cref="TrackerJson"/>): leading and trailing white
/// space is trimmed and blank text becomes null, so what is validated, compared for uniqueness and stored
/// is the trimmed text. The validators then hold each field to its <see cref="TextShape"/>: control
/// characters (U+0000–U+001F, U+007F–U+009F) are refused, except that a multi-line field may hold line
/// breaks and tabs. Text that is not well-formed Unicode (a lone surrogate, <c>"\ud800"</c>) never gets this
/// far: the serializer refuses it as it reads the field (<c>BodyErrors</c> names it), and query strings,
/// paths and CSV are decoded from UTF-8, which cannot carry one.
/// </summary>
public static class TextRules
{
    /// <summary>Trimmed of Unicode white space; blank (or null) is null.</summary>
    public static string? Normalize(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    /// <summary>A required text field of a request body.</summary>
    public static IRuleBuilderOptions<T, string?> Required<T>(this IRuleBuilder<T, string?> rule, int maxLength, TextShape shape) =>
        rule.NotEmpty().MaximumLength(maxLength).Printable(shape);

    /// <summary>An optional text field of a request body (blank arrives as null).</summary>
    public static IRuleBuilderOptions<T, string?> Optional<T>(this IRuleBuilder<T, string?> rule, int maxLength, TextShape shape) =>
        rule.MaximumLength(maxLength).Printable(shape);

    /// <summary>An optional text query parameter: matched as sent, so only its length is checked.</summary>
    public static IRuleBuilderOptions<T, string?> Optional<T>(this IRuleBuilder<T, string?> rule, int maxLength) =>
        rule.MaximumLength(maxLength);

    /// <summary>Refuses control characters; a <see cref="TextShape.MultiLine"/> field may hold line breaks and tabs.</summary>
    public static IRuleBuilderOptions<T, string?> Printable<T>(this IRuleBuilder<T, string?> rule, TextShape shape) =>
        rule.SetValidator(new PrintableTextValidator<T>(shape));

    private static readonly char[] s_controls = [.. Enumerable.Range(0, 0x20).Concat(Enumerable.Range(0x7F, 0x21)).Select(c => (char)c)];
    private static readonly SearchValues<char> s_singleLineRefused = SearchValues.Create(s_controls);
    private static readonly SearchValues<char> s_multiLineRefused = SearchValues.Create([.. s_controls.Except("\n\r\t")]);

    /// <summary>The index of the first character <paramref name="shape"/> refuses, or -1.</summary>
    public static int IndexOfRefused(string text, TextShape shape) =>
        text.AsSpan().IndexOfAny(shape == TextShape.MultiLine ? s_multiLineRefused : s_singleLineRefused);

    /// <summary>What a text field accepts, in words, for the OpenAPI document.</summary>
    public static string Describe(TextShape shape, bool required, bool verbatim)
    {
        var trimming = (verbatim, required) switch
        {
            (true, _) => "Taken as sent, not trimmed",
            (false, true) => "Trimmed",
            (false, false) => "Trimmed, blank is null",
        };
        return shape == TextShape.SingleLine
            ? $"{trimming}; one line: control characters (U+0000–U+001F, U+007F–U+009F), line breaks and tabs included, are refused."
            : $"{trimming}; line breaks and tabs are allowed, other control characters (U+0000–U+001F, U+007F–U+009F) are refused.";
    }
}

/// <summary>Marks a string field of a request that is taken exactly as sent, not trimmed (a signing secret).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class VerbatimTextAttribute : Attribute;

/// <summary>A field's <see cref="TextShape"/>, as its validator holds it: the OpenAPI document describes text fields from it.</summary>
public interface IPrintableTextValidator
{
    TextShape Shape { get; }
}

/// <summary>The control-character half of <see cref="TextRules"/>.</summary>
public sealed class PrintableTextValidator<T>(TextShape shape) : PropertyValidator<T, string?>, IPrintableTextValidator
{
    public TextShape Shape { get; } = shape;

    public override string Name => "PrintableTextValidator";

    public override bool IsValid(ValidationContext<T> context, string? value)
    {
        var index = value is null ? -1 : TextRules.IndexOfRefused(value, Shape);
        if (index < 0)
        {
            return true;
        }

        context.MessageFormatter.AppendArgument("Character", "U+" + ((int)value![index]).ToString("X4", CultureInfo.InvariantCulture));
        return false;
    }

    protected override string GetDefaultMessageTemplate(string errorCode) => Shape == TextShape.SingleLine
        ? "'{PropertyName}' must be one line of printable text: it holds the control character {Character} (line breaks and tabs are not allowed here either)."
        : "'{PropertyName}' holds the control character {Character}; of the control characters only line breaks and tabs are allowed.";
}
