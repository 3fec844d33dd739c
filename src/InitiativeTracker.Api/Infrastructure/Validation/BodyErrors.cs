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
    /// <summary>The error of a text field whose escapes make a lone surrogate (<c>"\ud800"</c>): it surfaces only when the field is read.</summary>
    public static string NotWellFormed(string name) => $"'{name}' is not well-formed Unicode text.";

    /// <summary>The errors by field, or null when the body cannot be read again as a JSON object of the endpoint's type.</summary>
    public static async Task<Dictionary<string, string[]>?> CollectAsync(HttpContext context, Endpoint? endpoint)
    {
        var type = endpoint?.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType;
        var body = context.Request.Body;
        if (type is null || !body.CanSeek || TrackerJson.Options.GetTypeInfo(type) is not { Kind: JsonTypeInfoKind.Object } typeInfo)
        {
            return null;
        }

        // The body is buffered and within the endpoint's limit (1 MiB unless it says otherwise).
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

        Dictionary<string, string[]> errors = [];
        var readable = new JsonObject();
        foreach (var property in typeInfo.Properties)
        {
            if (!TryGetField(fields, property.Name, out var value))
            {
                continue;
            }

            try
            {
                JsonSerializer.Deserialize(value, property.PropertyType, TrackerJson.Options);
                readable[property.Name] = value?.DeepClone();
            }
            catch (JsonException)
            {
                errors[property.Name] = [Expected(property.Name, property.PropertyType)];
            }
            catch (InvalidOperationException)
            {
                // Text escaped into a lone surrogate ("\ud800") surfaces only when it is read.
                errors[property.Name] = [NotWellFormed(property.Name)];
            }
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

    /// <summary>A member of the body; a body whose member names are not well-formed text has none to read.</summary>
    private static bool TryGetField(JsonObject fields, string name, out JsonNode? value)
    {
        try
        {
            return fields.TryGetPropertyValue(name, out value);
        }
        catch (InvalidOperationException)
        {
            value = null;
            return false;
        }
    }

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
