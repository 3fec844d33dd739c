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
        // A member named twice is an error, not last-wins: {"role":"viewer","role":"admin"} must not make an admin key.
        // BodyErrors names the member (DuplicateMembers); readers of raw JSON use DocumentOptions.
        options.AllowDuplicateProperties = false;
        options.TypeInfoResolver = (options.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver()).WithAddedModifier(NormalizeRequestText);
    }

    public static JsonSerializerOptions Options { get; } = Create();

    /// <summary>
    /// How request JSON read as a document (a merge patch, an import row, a body read again) is parsed: as
    /// deep and as strict as <see cref="Options"/>. The serializer's option does not reach a
    /// <c>JsonObject</c>, which throws <see cref="ArgumentException"/> on a repeated member instead
    /// (dotnet/runtime#123882), so those are parsed with these.
    /// </summary>
    public static JsonDocumentOptions DocumentOptions => new() { MaxDepth = Options.MaxDepth, AllowDuplicateProperties = false };

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
