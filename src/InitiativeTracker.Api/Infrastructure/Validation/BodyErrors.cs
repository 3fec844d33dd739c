using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using FluentValidation;
using InitiativeTracker.Api.Features.Initiatives;
using InitiativeTracker.Api.Infrastructure.Http;
using Microsoft.AspNetCore.Http.Metadata;

namespace InitiativeTracker.Api.Infrastructure.Validation;

/// <summary>
/// Every problem of a JSON body that did not bind, at once. The framework's reader stops at the first
/// field of the wrong type; this reads the (buffered) body again field by field, names each that does
/// not read as its type, and runs the type's validator over the fields that do, so
/// <c>{"progress": -5, "health": "meh"}</c> is answered with both fields.
/// </summary>
internal static class BodyErrors
{
    /// <summary>The errors by field, or null when the body cannot be read again as a JSON object of the endpoint's type.</summary>
    public static async Task<Dictionary<string, string[]>?> CollectAsync(HttpContext context, Endpoint? endpoint)
    {
        var type = endpoint?.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType;
        var body = context.Request.Body;
        if (type is null || !body.CanSeek || TrackerJson.Options.GetTypeInfo(type) is not { Kind: JsonTypeInfoKind.Object } typeInfo)
        {
            return null;
        }

        // The body is buffered and within the endpoint's limit (64 KiB unless it says otherwise).
        body.Position = 0;
        using var copy = new MemoryStream();
        await body.CopyToAsync(copy, context.RequestAborted);
        var json = copy.GetBuffer().AsMemory(0, (int)copy.Length);

        // A member named twice is the whole answer: which value was meant cannot be guessed.
        if (DuplicateMembers.Find(json.Span) is { Count: > 0 } duplicates)
        {
            return DuplicateMembers.Errors(duplicates);
        }

        JsonObject fields;
        try
        {
            if (JsonNode.Parse(json.Span, documentOptions: TrackerJson.DocumentOptions) is not JsonObject parsed)
            {
                return null;
            }

            fields = parsed;
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException)
        {
            // Not JSON, text that is not well-formed: the framework's one error says it.
            return null;
        }

        JsonObject readable;
        Dictionary<string, string[]> errors;
        try
        {
            var read = ReadFields(fields, typeInfo, TrackerJson.Options);
            (readable, errors) = (read.Readable, read.Errors.ToDictionary(e => e.Key, e => new[] { e.Value }));
        }
        catch (InvalidOperationException)
        {
            // A member name that is not well-formed text: the framework's one error says it.
            return null;
        }

        if (errors.Count == 0)
        {
            return null;
        }

        if (Validators.For(context.RequestServices, type) is { } validator
            && readable.Deserialize(typeInfo) is { } instance)
        {
            var failures = (await validator.ValidateAsync(Validators.Context(type, instance), context.RequestAborted)).Errors
                .GroupBy(f => JsonNamingPolicy.CamelCase.ConvertName(f.PropertyName))
                .Where(g => !errors.ContainsKey(g.Key));
            foreach (var failure in failures.ToList())
            {
                errors[failure.Key] = [.. failure.Select(f => f.ErrorMessage).Distinct()];
            }
        }

        return errors;
    }

    /// <summary>
    /// Reads each member of <paramref name="fields"/> that names a property of <paramref name="type"/> (ignoring
    /// case, as bodies bind) as that property's type: the members that read, under the property's name, and
    /// an error for each that does not. Members that name no property are left out. A member name that is not
    /// well-formed text throws <see cref="InvalidOperationException"/>.
    /// </summary>
    public static (JsonObject Readable, Dictionary<string, string> Errors) ReadFields(JsonObject fields, JsonTypeInfo type, JsonSerializerOptions options)
    {
        var readable = new JsonObject();
        Dictionary<string, string> errors = [];
        foreach (var (name, value) in fields)
        {
            if (PropertyNamed(type, name) is not { } property)
            {
                continue;
            }

            try
            {
                JsonSerializer.Deserialize(value, property.PropertyType, options);
                readable[property.Name] = value?.DeepClone();
            }
            catch (JsonException)
            {
                errors[property.Name] = Expected(property.Name, property.PropertyType);
            }
            catch (InvalidOperationException)
            {
                // Text escaped into a lone surrogate ("\ud800") surfaces only when it is read.
                errors[property.Name] = NotWellFormed(property.Name);
            }
        }

        return (readable, errors);
    }

    /// <summary>The property of <paramref name="type"/> a member named <paramref name="name"/> binds to: names compare ignoring case, as bodies bind.</summary>
    public static JsonPropertyInfo? PropertyNamed(JsonTypeInfo type, string name) =>
        type.Properties.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));

    private static string NotWellFormed(string name) => $"'{name}' is not well-formed Unicode text.";

    /// <summary>What a field of this type must hold, in the words the validators use.</summary>
    private static string Expected(string field, Type type)
    {
        var inner = Nullable.GetUnderlyingType(type) ?? type;
        return inner switch
        {
            { IsEnum: true } => $"'{field}' must be one of: {string.Join(", ", Enum.GetValues(inner).Cast<Enum>().Select(EnumText.NameOf))}.",
            _ when inner == typeof(DateOnly) => $"'{field}' must be a date in the form yyyy-MM-dd, such as 2026-03-10.",
            _ when inner == typeof(DateTimeOffset) || inner == typeof(DateTime) => $"'{field}' must be a timestamp with an offset, such as 2027-01-03T21:48:10Z.",
            _ when inner == typeof(int) || inner == typeof(long) => $"'{field}' must be a whole number.",
            _ when inner == typeof(bool) => $"'{field}' must be true or false.",
            _ when inner == typeof(string) => $"'{field}' must be text.",
            _ => $"'{field}' is not valid for this field: check its type, format and range.",
        };
    }
}
