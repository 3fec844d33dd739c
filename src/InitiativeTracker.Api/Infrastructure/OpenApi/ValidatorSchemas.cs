using System.Globalization;
using FluentValidation;
using FluentValidation.Validators;
using InitiativeTracker.Api.Infrastructure.Validation;
using Microsoft.OpenApi;

namespace InitiativeTracker.Api.Infrastructure.OpenApi;

/// <summary>
/// Writes what a validator enforces on a member into the member's schema: bounds, lengths, patterns,
/// enums and formats. Rules that apply only under a condition (<c>When</c>) say nothing, since the schema
/// cannot. A list that must not be empty gets <c>minItems: 1</c>. The request bodies (<see cref="SchemaTransformer"/>) and the query parameters
/// (<see cref="OperationTransformer"/>) are both described from here.
/// </summary>
internal static class ValidatorSchemas
{
    /// <summary>Describes <paramref name="schema"/>; returns the component a rule documents the member as, if one does.</summary>
    public static string? Describe(IValidatorDescriptor descriptor, string member, OpenApiSchema schema)
    {
        string? component = null;
        foreach (var (rule, options) in descriptor.GetValidatorsForMember(member))
        {
            if (options.HasCondition || options.HasAsyncCondition)
            {
                continue;
            }

            switch (rule)
            {
                case IDescribedRule described:
                    described.Describe(schema);
                    component ??= described.Component;
                    break;
                case INotEmptyValidator when schema.Type?.HasFlag(JsonSchemaType.Array) == true:
                    schema.MinItems = 1;
                    break;
                case IBetweenValidator between when rule.Name == "InclusiveBetweenValidator":
                    schema.Minimum = Number(between.From);
                    schema.Maximum = Number(between.To);
                    break;
                case IComparisonValidator { ValueToCompare: { } value } comparison:
                    Compare(schema, comparison.Comparison, value);
                    break;
                case ILengthValidator length:
                    schema.MinLength = length.Min > 0 ? length.Min : schema.MinLength;
                    schema.MaxLength = length.Max > 0 ? length.Max : schema.MaxLength;
                    break;
                case IRegularExpressionValidator regex:
                    schema.Pattern = regex.Expression;
                    break;
            }
        }

        return component;
    }

    private static void Compare(OpenApiSchema schema, Comparison comparison, object value)
    {
        // Whole numbers say "at least 1" rather than "more than 0": simpler for clients and generators.
        var integer = schema.Type?.HasFlag(JsonSchemaType.Integer) == true && value is int or long;
        var bound = Convert.ToDecimal(value, CultureInfo.InvariantCulture);
        switch (comparison)
        {
            case Comparison.GreaterThan when integer:
                schema.Minimum = Number(bound + 1);
                break;
            case Comparison.GreaterThan:
                schema.ExclusiveMinimum = Number(bound);
                break;
            case Comparison.GreaterThanOrEqual:
                schema.Minimum = Number(bound);
                break;
            case Comparison.LessThan when integer:
                schema.Maximum = Number(bound - 1);
                break;
            case Comparison.LessThan:
                schema.ExclusiveMaximum = Number(bound);
                break;
            case Comparison.LessThanOrEqual:
                schema.Maximum = Number(bound);
                break;
        }
    }

    private static string Number(object value) => Convert.ToDecimal(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);
}
