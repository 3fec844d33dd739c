using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using FluentValidation;
using InitiativeTracker.Api.Infrastructure.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace InitiativeTracker.Api.Infrastructure.OpenApi;

/// <summary>
/// What the generator cannot see in a type: that enums are strings; which fields are <c>required</c>;
/// and an example. A request (a type with a validator) requires the fields its validator rejects when
/// they are left out; a response requires every field, since the JSON always carries every property
/// (null included). Examples come from <see cref="SchemaExamples"/>.
/// </summary>
internal sealed class SchemaTransformer : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = context.JsonTypeInfo.Type;
        if (type.IsEnum)
        {
            schema.Type = JsonSchemaType.String;
        }

        // Property schemas are transformed too; only the type's own schema gets required and an example.
        if (context.JsonPropertyInfo is not null || schema.Properties is not { Count: > 0 } properties)
        {
            return Task.CompletedTask;
        }

        var validator = Validator(context.ApplicationServices, type);
        var required = validator is null
            ? context.JsonTypeInfo.Properties.Select(p => p.Name)
            : RejectedWhenLeftOut(validator, type);
        schema.Required = required.Where(properties.ContainsKey).Order(StringComparer.Ordinal).ToHashSet();
        if (validator is not null)
        {
            // A field a request must send may not be sent as null either (C# types it string? only so
            // that a missing value reaches the validator and is reported by name).
            foreach (var name in schema.Required)
            {
                if (properties[name] is OpenApiSchema { Type: { } fieldType } field)
                {
                    field.Type = fieldType & ~JsonSchemaType.Null;
                }
            }

            DescribeText(validator, context.JsonTypeInfo, properties, schema.Required);
        }

        if (schema.Required.Count == 0)
        {
            schema.Required = null;
        }

        if (SchemaExamples.For(type) is { } example)
        {
            schema.Examples = [example];
        }

        return Task.CompletedTask;
    }

    private static IValidator? Validator(IServiceProvider services, Type type)
    {
        using var scope = services.CreateScope();
        return scope.ServiceProvider.GetService(typeof(IValidator<>).MakeGenericType(type)) as IValidator;
    }

    /// <summary>Says of each text field what <see cref="TextRules"/> do with it: trimmed, and which control characters are refused.</summary>
    private static void DescribeText(IValidator validator, JsonTypeInfo type, IDictionary<string, IOpenApiSchema> properties, ISet<string> required)
    {
        var descriptor = validator.CreateDescriptor();
        foreach (var property in type.Properties)
        {
            if (property.AttributeProvider is not MemberInfo member
                || !properties.TryGetValue(property.Name, out var schema) || schema is not OpenApiSchema field
                || descriptor.GetValidatorsForMember(member.Name).Select(v => v.Validator).OfType<IPrintableTextValidator>().FirstOrDefault() is not { } text)
            {
                continue;
            }

            var rule = TextRules.Describe(text.Shape, required.Contains(property.Name), member.IsDefined(typeof(VerbatimTextAttribute)));
            field.Description = field.Description is { Length: > 0 } known ? $"{known} {rule}" : rule;
        }
    }

    /// <summary>The fields that fail validation in a request that sends nothing.</summary>
    private static IEnumerable<string> RejectedWhenLeftOut(IValidator validator, Type type)
    {
        if (type.GetConstructor(Type.EmptyTypes) is null)
        {
            return [];
        }

        var empty = Activator.CreateInstance(type)!;
        var context = (FluentValidation.IValidationContext)Activator.CreateInstance(typeof(ValidationContext<>).MakeGenericType(type), empty)!;
        return validator.Validate(context).Errors.Select(e => JsonNamingPolicy.CamelCase.ConvertName(e.PropertyName)).Distinct();
    }
}

/// <summary>Serializes example values the way the API does, leaving out nulls in requests for brevity.</summary>
internal static class ExampleJson
{
    public static JsonNode Of(object value, bool omitNulls = false)
    {
        var node = JsonSerializer.SerializeToNode(value, value.GetType(), TrackerJson.Options)!;
        if (omitNulls && node is JsonObject json)
        {
            foreach (var name in json.Where(p => p.Value is null).Select(p => p.Key).ToList())
            {
                json.Remove(name);
            }
        }

        return node;
    }
}
