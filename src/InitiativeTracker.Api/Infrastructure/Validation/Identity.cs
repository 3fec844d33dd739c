using System.Globalization;
using System.Text;
using FluentValidation;
using FluentValidation.Validators;
using Microsoft.OpenApi;

namespace InitiativeTracker.Api.Infrastructure.Validation;

/// <summary>
/// How identity fields (an owner's email, a task force's name, an API key's name) compare. What was
/// typed is stored and shown as it was; beside it the row stores its <see cref="Key"/>, and the unique
/// index is on the key, so text that reads the same is the same identity:
/// <list type="number">
/// <item>Unicode NFKC: a fullwidth <c>ｌ</c> is <c>l</c>, an NBSP is a space, an NFD <c>e</c>+U+0301 is <c>é</c>.</item>
/// <item>Default-ignorable code points (zero-width space, ZWNJ/ZWJ, soft hyphen, U+FEFF, variation
/// selectors, bidi controls, ...) are dropped; new text holding one is refused by <see cref="IdentityText{T}"/>,
/// so this only matters for rows stored before the rule.</item>
/// <item>Runs of white space are one space.</item>
/// <item>Case-folded: upper- then lower-cased (invariant). Lower-casing alone keeps final sigma ς apart
/// from σ; the round trip folds both (and dotless ı with i), closer to Unicode case folding and erring
/// on the side of treating look-alikes as one.</item>
/// <item>An email's domain is compared in its ASCII (IDNA) form without a trailing dot.</item>
/// </list>
/// Every write of these fields computes the key here; the migration that added the key columns called
/// the same function for the rows already stored.
/// </summary>
public static class Identity
{
    /// <summary>The key a name compares by.</summary>
    public static string Key(string text)
    {
        var normalized = text.Normalize(NormalizationForm.FormKC);
        var key = new StringBuilder(normalized.Length);
        var space = false;
        foreach (var rune in normalized.EnumerateRunes())
        {
            if (IsDefaultIgnorable(rune.Value))
            {
                continue;
            }

            if (Rune.IsWhiteSpace(rune))
            {
                space = key.Length > 0;
                continue;
            }

            if (space)
            {
                key.Append(' ');
                space = false;
            }

            key.Append(rune.ToString());
        }

        return key.ToString().ToUpperInvariant().ToLowerInvariant().Normalize(NormalizationForm.FormKC);
    }

    /// <summary>The key an email address compares by (null for none): <see cref="Key"/>, its domain in ASCII form without a trailing dot.</summary>
    public static string? EmailKey(string? email)
    {
        if (email is null)
        {
            return null;
        }

        var key = Key(email);
        var at = key.LastIndexOf('@');
        if (at < 0)
        {
            return key.TrimEnd('.');
        }

        var domain = key[(at + 1)..].TrimEnd('.');
        try
        {
            domain = s_idn.GetAscii(domain);
        }
        catch (ArgumentException)
        {
            // Not a name IDNA can spell (an empty label, say): compare it as folded.
        }

        return string.Concat(key.AsSpan(0, at + 1), domain);
    }

    private static readonly IdnMapping s_idn = new();

    /// <summary>
    /// Unicode's Default_Ignorable_Code_Point property (DerivedCoreProperties.txt, Unicode 15/16):
    /// characters that render as nothing, so two names differing only by them look the same.
    /// </summary>
    public static bool IsDefaultIgnorable(int c) => c switch
    {
        0x00AD or 0x034F or 0x061C or 0x115F or 0x1160 or 0x17B4 or 0x17B5 => true,
        >= 0x180B and <= 0x180F => true,
        >= 0x200B and <= 0x200F => true,
        >= 0x202A and <= 0x202E => true,
        >= 0x2060 and <= 0x206F => true,
        0x3164 or 0xFEFF or 0xFFA0 => true,
        >= 0xFE00 and <= 0xFE0F => true,
        >= 0xFFF0 and <= 0xFFF8 => true,
        >= 0x1BCA0 and <= 0x1BCA3 => true,
        >= 0x1D173 and <= 0x1D17A => true,
        >= 0xE0000 and <= 0xE0FFF => true,
        _ => false,
    };

    /// <summary>An identity field: refuses invisible (default-ignorable) characters; the document says how the field compares.</summary>
    public static IRuleBuilderOptions<T, string?> IdentityText<T>(this IRuleBuilder<T, string?> rule, string comparesAs) =>
        rule.SetValidator(new IdentityTextValidator<T>(comparesAs));

    /// <summary>An email address whose domain ends in a dot is not an address to write to (RFC 5321's Domain has none).</summary>
    public static IRuleBuilderOptions<T, string?> NoTrailingDot<T>(this IRuleBuilder<T, string?> rule) =>
        rule.SetValidator(new DescribedRule<T, string?>("NoTrailingDot", email => email is null || !email.EndsWith('.'),
                s => s.Description = s.Description is { Length: > 0 } known ? $"{known} A dot after the domain is refused." : "A dot after the domain is refused."))
            .WithMessage("'{PropertyName}' must not end with a dot: write the domain without it (li.na@example.edu, not li.na@example.edu.).");
}

/// <summary>The refusal half of <see cref="Identity"/>: no default-ignorable characters in an identity field.</summary>
public sealed class IdentityTextValidator<T>(string comparesAs) : PropertyValidator<T, string?>, IDescribedRule
{
    public override string Name => "IdentityTextValidator";

    public override bool IsValid(ValidationContext<T> context, string? value)
    {
        // U+0000 is not default-ignorable, so the default Rune means none was found.
        if (value?.EnumerateRunes().FirstOrDefault(r => Identity.IsDefaultIgnorable(r.Value)) is not { Value: > 0 } c)
        {
            return true;
        }

        context.MessageFormatter.AppendArgument("Character", "U+" + c.Value.ToString("X4", CultureInfo.InvariantCulture));
        return false;
    }

    public void Describe(OpenApiSchema schema)
    {
        var rule = $"Identifies the record: compared with the others {comparesAs} after Unicode NFKC normalization, case folding and "
            + "collapsing runs of white space, so look-alike spellings (fullwidth letters, NBSP, NFD accents) are the same and a 409. "
            + "Invisible (Unicode default-ignorable) characters such as U+200B, U+200D, U+00AD and U+FEFF are refused. Stored and shown as sent.";
        schema.Description = schema.Description is { Length: > 0 } known ? $"{known} {rule}" : rule;
    }

    protected override string GetDefaultMessageTemplate(string errorCode) =>
        "'{PropertyName}' holds the invisible character {Character}: names and addresses that identify a record may not hold invisible (default-ignorable) characters.";
}
