using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using MediatR;

namespace InitiativeTracker.Api.Infrastructure.Http;

/// <summary>
/// The one JSON shape of the API: camelCase, snake_case enum strings, ISO dates; and the text of every
/// request read through it (a body, a merge patch, an import row) normalized by <see cref="TextRules"/>.
/// </summary>
public static class TrackerJson
{
    public static void Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
        options.Converters.Add(new Rfc3339.Converter());
        options.NumberHandling = JsonNumberHandling.Strict;
        options.MaxDepth = 32;
        options.TypeInfoResolver = (options.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver()).WithAddedModifier(NormalizeRequestText);
    }

    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Configure(options);
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    /// <summary>
    /// Every string property of a request (a mediator request: the commands bodies bind to) goes through
    /// <see cref="TextRules.Normalize"/> as it is read, so no handler trims on its own and no reader of
    /// requests can forget to. It wraps the property's setter rather than adding a converter, so the
    /// OpenAPI schema still sees plain strings. <see cref="VerbatimTextAttribute"/> opts a field out.
    /// </summary>
    private static void NormalizeRequestText(JsonTypeInfo type)
    {
        if (type.Kind != JsonTypeInfoKind.Object || !typeof(IBaseRequest).IsAssignableFrom(type.Type))
        {
            return;
        }

        foreach (var property in type.Properties)
        {
            if (property.PropertyType == typeof(string) && property.Set is { } set
                && property.AttributeProvider?.IsDefined(typeof(VerbatimTextAttribute), inherit: true) != true)
            {
                property.Set = (target, value) => set(target, TextRules.Normalize((string?)value));
            }
        }
    }
}
