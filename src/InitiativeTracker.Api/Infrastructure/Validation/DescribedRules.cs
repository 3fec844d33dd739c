using System.Globalization;
using System.Text.Json.Nodes;
using FluentValidation;
using FluentValidation.Validators;
using InitiativeTracker.Api.Features.Initiatives;
using InitiativeTracker.Api.Infrastructure.Database;
using InitiativeTracker.Api.Infrastructure.Http;
using Microsoft.OpenApi;

namespace InitiativeTracker.Api.Infrastructure.Validation;

/// <summary>
/// A rule that says, in JSON Schema, what it accepts: the OpenAPI document takes enums, formats and
/// patterns from the rules themselves, so the document and the check cannot drift apart. FluentValidation's
/// own rules (lengths, bounds, regular expressions) are read by the document as they are.
/// </summary>
public interface IDescribedRule
{
    void Describe(OpenApiSchema schema);

    /// <summary>The shared schema (a component) a query parameter held to this rule is documented as, if any.</summary>
    string? Component => null;
}

/// <summary>A predicate with its description; the message comes from <c>WithMessage</c> where it is used.</summary>
public sealed class DescribedRule<T, TProperty>(string name, Func<TProperty, bool> isValid, Action<OpenApiSchema> describe, string? component = null)
    : PropertyValidator<T, TProperty>, IDescribedRule
{
    public override string Name => name;

    public string? Component => component;

    public override bool IsValid(ValidationContext<T> context, TProperty value) => isValid(value);

    public void Describe(OpenApiSchema schema) => describe(schema);

    protected override string GetDefaultMessageTemplate(string errorCode) => "'{PropertyName}' is not valid.";
}

public static class DescribedRules
{
    /// <summary>Text that is one of <paramref name="values"/> (exactly), or absent.</summary>
    public static IRuleBuilderOptions<T, string?> OneOf<T>(this IRuleBuilder<T, string?> rule, IReadOnlyCollection<string> values, StringComparer? comparer = null) =>
        rule.SetValidator(new DescribedRule<T, string?>("OneOf", v => v is null || values.Contains(v, comparer), s => s.Enum = Enum(values)))
            .WithMessage($"'{{PropertyName}}' must be one of: {string.Join(", ", values)}.");

    /// <summary>
    /// Text that is a value of <typeparamref name="TEnum"/> as the API spells it, or absent. A query parameter
    /// held to it is documented as that enum's schema, the one the answers use, so a generated client has
    /// one type for both.
    /// </summary>
    public static IRuleBuilderOptions<T, string?> OneOf<T, TEnum>(this IRuleBuilder<T, string?> rule)
        where TEnum : struct, Enum
    {
        var values = NamesOf<TEnum>();
        return rule.SetValidator(new DescribedRule<T, string?>("OneOf", v => v is null || values.Contains(v), s => s.Enum = Enum(values), typeof(TEnum).Name))
            .WithMessage($"'{{PropertyName}}' must be one of: {string.Join(", ", values)}.");
    }

    /// <summary>
    /// A repeatable parameter each of whose values is a value of <typeparamref name="TEnum"/> as the API
    /// spells it, at most <paramref name="maxCount"/> of them; documented as a list of that enum's schema.
    /// </summary>
    public static IRuleBuilderOptions<T, string[]?> EachOneOf<T, TEnum>(this IRuleBuilder<T, string[]?> rule, int maxCount)
        where TEnum : struct, Enum
    {
        var values = NamesOf<TEnum>();
        return rule.SetValidator(new DescribedRule<T, string[]?>("EachOneOf", v => v is null || (v.Length <= maxCount && v.All(values.Contains)), s =>
            {
                s.MaxItems = maxCount;
                s.Items = new OpenApiSchemaReference(typeof(TEnum).Name);
            }))
            .WithMessage($"'{{PropertyName}}' must be one of: {string.Join(", ", values)} (at most {maxCount} values).");
    }

    /// <summary>
    /// A list each of whose values is one of <paramref name="values"/>, or absent; documented as the items'
    /// enum. The caller's <c>WithMessage</c> names the values that are not.
    /// </summary>
    public static IRuleBuilderOptions<T, IReadOnlyList<string>?> EachIn<T>(this IRuleBuilder<T, IReadOnlyList<string>?> rule, IReadOnlyCollection<string> values) =>
        rule.SetValidator(new DescribedRule<T, IReadOnlyList<string>?>("EachIn", v => v is null || v.All(values.Contains),
            s => s.Items = new OpenApiSchema { Type = JsonSchemaType.String, Enum = Enum(values) }));

    /// <summary>A list of at most <paramref name="max"/> items, or absent; documented as <c>maxItems</c>.</summary>
    public static IRuleBuilderOptions<T, IReadOnlyList<TItem>?> MaxItems<T, TItem>(this IRuleBuilder<T, IReadOnlyList<TItem>?> rule, int max) =>
        rule.SetValidator(new DescribedRule<T, IReadOnlyList<TItem>?>("MaxItems", v => v is null || v.Count <= max, s => s.MaxItems = max))
            .WithMessage($"'{{PropertyName}}' lists at most {max} entries.");

    /// <summary>The names of an enum's values, as the API spells them (<see cref="EnumText.NameOf"/>).</summary>
    public static IReadOnlyCollection<string> NamesOf<TEnum>()
        where TEnum : struct, Enum => [.. global::System.Enum.GetValues<TEnum>().Select(v => EnumText.NameOf(v))];

    /// <summary>
    /// A date in the API's one form, yyyy-MM-dd. Query strings bind <see cref="DateOnly"/> by the invariant
    /// culture, which reads "10/03/2026" as October 3: date parameters arrive as text and are held to this.
    /// </summary>
    public static IRuleBuilderOptions<T, string?> IsoDate<T>(this IRuleBuilder<T, string?> rule) =>
        rule.SetValidator(new DescribedRule<T, string?>("IsoDate",
                text => text is null || DateOnly.TryParseExact(text, SqlText.DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
                s => s.Format = "date"))
            .WithMessage("Use a date in the form yyyy-MM-dd, such as 2026-03-10.");

    /// <summary>An id a filter or reference names: 1 or more (ids start at 1, so nothing else can match).</summary>
    public static IRuleBuilderOptions<T, long?> Id<T>(this IRuleBuilder<T, long?> rule) => rule.GreaterThan(0);

    /// <summary>A list's <c>sort</c>: comma-separated fields of <paramref name="sortable"/>, each optionally prefixed by '-'.</summary>
    public static IRuleBuilderOptions<T, string?> SortableBy<T>(this IRuleBuilder<T, string?> rule, SortFields sortable)
    {
        var names = string.Join("|", sortable.Names);
        return rule.SetValidator(new DescribedRule<T, string?>("SortableBy", sortable.IsValid, s =>
            {
                s.MaxLength = SortFields.MaxLength;
                s.Pattern = $"^ *[-+]?({names}) *(, *[-+]?({names}) *)*$";
                s.Description = $"Comma-separated fields to sort by, each prefixed by '-' for descending (e.g. '-{sortable.Names.First()}'): "
                    + $"{string.Join(", ", sortable.Names)}. An unknown field is a 400.";
            }))
            .WithMessage($"Sort by a comma-separated list of: {string.Join(", ", sortable.Names)} (prefix '-' for descending).");
    }

    private static List<JsonNode> Enum(IEnumerable<string> values) => [.. values.Select(v => (JsonNode)JsonValue.Create(v))];
}
