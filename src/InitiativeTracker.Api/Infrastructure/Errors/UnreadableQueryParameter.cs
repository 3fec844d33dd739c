using System.Globalization;
using Microsoft.AspNetCore.Http.Metadata;

namespace InitiativeTracker.Api.Infrastructure.Errors;

/// <summary>
/// Names the query parameters behind a 400 from parameter binding, which stops at the first value that
/// does not parse (and answers an optional one, <c>page=abc</c> for an <c>int?</c>, with an empty 400).
/// The endpoint's binding metadata says which parameters come from the query and as what type; every
/// one whose value does not parse as that type is named.
/// </summary>
internal static class UnreadableQueryParameter
{
    /// <summary>The errors of a 400 naming each such parameter; null when every one parses.</summary>
    public static Dictionary<string, string[]>? Errors(HttpContext context, Endpoint? endpoint)
    {
        Dictionary<string, string[]> errors = [];
        var bindings = endpoint?.Metadata.GetOrderedMetadata<IParameterBindingMetadata>() ?? [];
        foreach (var binding in bindings)
        {
            var type = Nullable.GetUnderlyingType(binding.ParameterInfo.ParameterType);
            var name = binding.ParameterInfo.GetCustomAttributes(typeof(IFromQueryMetadata), inherit: true)
                .OfType<IFromQueryMetadata>().FirstOrDefault()?.Name ?? binding.Name;
            if (type is not null
                && context.Request.Query.TryGetValue(name, out var values)
                && values.ToString() is { Length: > 0 } value
                && !Parses(type, value))
            {
                errors.TryAdd(name, [$"The value is not valid for the parameter '{name}'."]);
            }
        }

        return errors.Count == 0 ? null : errors;
    }

    // The value types this API binds from the query, parsed as the generated binder parses them.
    private static bool Parses(Type type, string value) => type switch
    {
        _ when type == typeof(int) => Parses<int>(value),
        _ when type == typeof(long) => Parses<long>(value),
        _ when type == typeof(bool) => Parses<bool>(value),
        _ when type == typeof(DateOnly) => Parses<DateOnly>(value),
        { IsEnum: true } => Enum.TryParse(type, value, out _),
        _ => true,
    };

    private static bool Parses<T>(string value)
        where T : IParsable<T> => T.TryParse(value, CultureInfo.InvariantCulture, out _);
}
