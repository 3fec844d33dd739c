using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using FluentValidation;
using InitiativeTracker.Api.Infrastructure.Http;
using InitiativeTracker.Api.Infrastructure.Validation;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace InitiativeTracker.Api.Infrastructure.OpenApi;

/// <summary>
/// What the generator cannot see in a type: that enums are strings; which fields are <c>required</c>;
/// and its example (<see cref="IDocumentedExample{TSelf}"/>). A request (a type with a validator)
/// requires the fields its validator rejects when they are left out; a response requires every field,
/// since the JSON always carries every property (null included).
/// </summary>
internal sealed class SchemaTransformer : IOpenApiSchemaTransformer
{
    private const string NullablePropertyMark = "x-is-nullable-property";

    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = context.JsonTypeInfo.Type;
        if ((Nullable.GetUnderlyingType(type) ?? type).IsEnum)
        {
            // The component is shared by nullable and required properties; a property that may be null
            // says so itself (null or the component), so the component lists the names only.
            schema.Type = JsonSchemaType.String;
            schema.Enum = schema.Enum?.Where(value => value is not null).ToList();
        }

        if ((Nullable.GetUnderlyingType(type) ?? type) == typeof(DateTimeOffset))
        {
            // Read by Rfc3339.Converter, which the generator cannot see through.
            schema.Type = type == typeof(DateTimeOffset) ? JsonSchemaType.String : JsonSchemaType.String | JsonSchemaType.Null;
            schema.Format = "date-time";
        }

        if (context.JsonPropertyInfo?.PropertyType == typeof(JsonNode))
        {
            // A JsonNode is any JSON value, null included ({}): "null or any value" would match a null twice,
            // and a validator then refuses it under oneOf (exactly one).
            schema.Metadata?.Remove(NullablePropertyMark);
        }

        // Property schemas are transformed too; only the type's own schema gets required and an example.
        if (context.JsonPropertyInfo is not null || schema.Properties is not { Count: > 0 } properties)
        {
            return Task.CompletedTask;
        }

        var validator = Validators.For(context.ApplicationServices, type);
        var required = validator is null
            ? context.JsonTypeInfo.Properties.Select(p => p.Name)
            : RejectedWhenLeftOut(validator, type);
        schema.Required = required.Where(properties.ContainsKey).Order(StringComparer.Ordinal).ToHashSet();
        if (validator is not null)
        {
            var descriptor = validator.CreateDescriptor();
            foreach (var property in context.JsonTypeInfo.Properties)
            {
                if (property.AttributeProvider is MemberInfo member && properties.TryGetValue(property.Name, out var field))
                {
                    properties[property.Name] = DescribeField(descriptor, member, field, schema.Required.Contains(property.Name));
                }
            }
        }

        if (schema.Required.Count == 0)
        {
            schema.Required = null;
        }

        if (Example(type, omitNulls: validator is not null) is { } example)
        {
            schema.Examples = [example];
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// A request field as its validator holds it: its bounds, lengths, patterns and enums; what
    /// <see cref="TextRules"/> do with text; and, when it is required, not null either (C# types it
    /// nullable only so that a missing value reaches the validator and is reported by name).
    /// </summary>
    private static IOpenApiSchema DescribeField(IValidatorDescriptor descriptor, MemberInfo member, IOpenApiSchema field, bool required)
    {
        if (field is not OpenApiSchema schema)
        {
            return field;
        }

        if (required)
        {
            schema.Type &= ~JsonSchemaType.Null;
            // The generator writes a nullable reference (an enum) as "null or the type" from this mark.
            schema.Metadata?.Remove(NullablePropertyMark);
        }

        ValidatorSchemas.Describe(descriptor, member.Name, schema);
        if (descriptor.GetValidatorsForMember(member.Name).Select(v => v.Validator).OfType<IPrintableTextValidator>().FirstOrDefault() is { } text)
        {
            var rule = TextRules.Describe(text.Shape, required, member.IsDefined(typeof(VerbatimTextAttribute)));
            schema.Description = schema.Description is { Length: > 0 } known ? $"{known} {rule}" : rule;
        }

        return schema;
    }

    private static JsonNode? Example(Type type, bool omitNulls)
    {
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Paged<>) && Example(type.GetGenericArguments()[0], omitNulls) is { } item)
        {
            return new JsonObject { ["items"] = new JsonArray(item), ["page"] = 1, ["pageSize"] = ListQuery.DefaultPageSize, ["totalCount"] = 1 };
        }

        if (!type.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDocumentedExample<>)))
        {
            return null;
        }

        var value = type.GetProperty(nameof(IDocumentedExample<>.Example), BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;
        var node = JsonSerializer.SerializeToNode(value, type, TrackerJson.Options)!;
        if (omitNulls && node is JsonObject json)
        {
            foreach (var name in json.Where(p => p.Value is null).Select(p => p.Key).ToList())
            {
                json.Remove(name);
            }
        }

        return node;
    }

    /// <summary>The fields that fail validation in a request that sends nothing.</summary>
    private static IEnumerable<string> RejectedWhenLeftOut(IValidator validator, Type type)
    {
        if (type.GetConstructor(Type.EmptyTypes) is null)
        {
            return [];
        }

        var empty = Activator.CreateInstance(type)!;
        var context = Validators.Context(type, empty);
        return validator.Validate(context).Errors.Select(e => JsonNamingPolicy.CamelCase.ConvertName(e.PropertyName)).Distinct();
    }
}
