using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NJsonSchema;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace InitiativeTracker.Api.Tests.Infrastructure;

/// <summary>
/// openapi.yaml, read as a client would read it: which operations exist, and whether an answer
/// (status, content type, JSON body) is one the document describes. Schemas are OpenAPI 3.1 JSON
/// Schema; their <c>$ref</c>s to <c>#/components/schemas</c> are resolved, and objects are checked
/// strictly: a property the document does not name is a mismatch (unless the schema allows extras).
/// </summary>
public sealed partial class OpenApiContract
{
    private static readonly Lazy<OpenApiContract> s_committed = new(() => Load(Path.Combine(Repository.Root, "openapi.yaml")));

    private readonly ConcurrentDictionary<string, JsonSchema> _schemas = new();
    private readonly List<(string Template, Regex Pattern, int Parameters)> _paths;

    private OpenApiContract(JsonObject document)
    {
        Document = document;
        _paths = Paths.Select(p => (p, new Regex("^" + TemplateParameter().Replace(Regex.Escape(p).Replace(@"\{", "{", StringComparison.Ordinal), "[^/]+") + "$"),
                TemplateParameter().Count(p)))
            .OrderBy(p => p.Item3)
            .ToList();
    }

    /// <summary>The committed openapi.yaml at the repository root.</summary>
    public static OpenApiContract Committed => s_committed.Value;

    public JsonObject Document { get; }

    public IEnumerable<string> Paths => Document["paths"]!.AsObject().Select(p => p.Key);

    /// <summary>Every documented operation: method (upper case), path template, and the operation object.</summary>
    public IEnumerable<(string Method, string Path, JsonObject Operation)> Operations =>
        Document["paths"]!.AsObject().SelectMany(path => path.Value!.AsObject()
            .Where(op => op.Key is "get" or "put" or "post" or "patch" or "delete" or "head" or "options")
            .Select(op => (op.Key.ToUpperInvariant(), path.Key, op.Value!.AsObject())));

    public static OpenApiContract Load(string yamlFile)
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(yamlFile))
        {
            stream.Load(reader);
        }

        return new OpenApiContract(ToJson(stream.Documents[0].RootNode)!.AsObject());
    }

    /// <summary>The documented path template a concrete path matches (literal segments win over parameters), if any.</summary>
    public string? Template(string path) => _paths.FirstOrDefault(p => p.Pattern.IsMatch(path)).Template;

    /// <summary>The headers the document's transformers derive for success answers: declared exactly when sent.</summary>
    private static readonly string[] s_derivedHeaders = ["ETag", "Location"];

    /// <summary>
    /// What is wrong with an answer to <paramref name="method"/> <paramref name="path"/>, by the document;
    /// empty when it conforms, or when the document does not describe that operation at all. Given the
    /// names of the <paramref name="headers"/> sent, a 2xx or 3xx must carry an ETag or Location exactly
    /// when its documented response declares one.
    /// </summary>
    public IReadOnlyList<string> Check(string method, string path, int status, string? mediaType, string body, IReadOnlyCollection<string>? headers = null)
    {
        if (Template(path) is not { } template || Document["paths"]![template]![method.ToLowerInvariant()] is not JsonObject operation)
        {
            return [];
        }

        var where = $"{method} {template} → {status}";
        var responses = operation["responses"]!.AsObject();
        var code = status.ToString(CultureInfo.InvariantCulture);
        var response = responses[code] ?? responses[$"{code[0]}XX"] ?? responses["default"];
        if (response is null)
        {
            return [$"{where}: status {code} is not documented (documented: {string.Join(", ", responses.Select(r => r.Key))})."];
        }

        List<string> errors = [];
        if (headers is not null && status is >= 200 and < 400)
        {
            var declared = Resolve(response)["headers"]?.AsObject().Select(h => h.Key).ToList() ?? [];
            foreach (var name in s_derivedHeaders)
            {
                var sent = headers.Contains(name, StringComparer.OrdinalIgnoreCase);
                if (sent != declared.Contains(name, StringComparer.OrdinalIgnoreCase))
                {
                    errors.Add($"{where}: the {name} header is {(sent ? "sent but not documented" : "documented but not sent")}.");
                }
            }
        }

        var content = Resolve(response)["content"]?.AsObject();
        if (body.Length == 0)
        {
            return errors;
        }

        if (content is null || mediaType is null || content[mediaType] is not JsonObject media)
        {
            errors.Add($"{where}: a {mediaType ?? "body without a content type"} body is not documented (documented: {string.Join(", ", content?.Select(c => c.Key) ?? [])}).");
            return errors;
        }

        if (!mediaType.EndsWith("json", StringComparison.Ordinal) || media["schema"] is not JsonObject schema)
        {
            return errors;
        }

        errors.AddRange(SchemaFor(schema).Validate(body).Select(e => $"{where}: {e.Path} {e.Kind} ({e})."));
        return errors;
    }

    /// <summary>Follows a <c>$ref</c> to a component (a response, parameter, header) to the object it names.</summary>
    public JsonObject Resolve(JsonNode node)
    {
        while (node["$ref"]?.GetValue<string>() is { } reference)
        {
            node = reference.TrimStart('#').Split('/', StringSplitOptions.RemoveEmptyEntries).Aggregate((JsonNode)Document, (n, segment) => n[segment]!);
        }

        return node.AsObject();
    }

    private JsonSchema SchemaFor(JsonObject schema) => _schemas.GetOrAdd(schema.ToJsonString(), _ =>
    {
        // One document holding the schema and every component schema as definitions, for NJsonSchema
        // to resolve references in.
        var definitions = Strict(Document["components"]!["schemas"]!.DeepClone())!;
        var root = new JsonObject { ["allOf"] = new JsonArray(Strict(schema.DeepClone())), ["definitions"] = definitions };
        var json = root.ToJsonString().Replace("#/components/schemas/", "#/definitions/", StringComparison.Ordinal);
        return JsonSchema.FromJsonAsync(json).GetAwaiter().GetResult();
    });

    /// <summary>Objects that list their properties allow no others unless they say so; examples are left out.</summary>
    private static JsonNode? Strict(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject json:
                json.Remove("examples");
                json.Remove("example");
                if (json["properties"] is JsonObject && !json.ContainsKey("additionalProperties"))
                {
                    json["additionalProperties"] = false;
                }

                foreach (var (_, child) in json.ToList())
                {
                    Strict(child);
                }

                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    Strict(child);
                }

                break;
        }

        return node;
    }

    /// <summary>YAML to JSON: plain scalars that read as null, booleans or numbers are those; everything else is a string.</summary>
    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value!, ToJson(c.Value)))),
        YamlSequenceNode list => new JsonArray(list.Children.Select(ToJson).ToArray()),
        YamlScalarNode { Style: ScalarStyle.Plain, Value: null or "" or "~" or "null" } => null,
        YamlScalarNode { Style: ScalarStyle.Plain, Value: "true" or "false" } scalar => JsonValue.Create(scalar.Value == "true"),
        YamlScalarNode { Style: ScalarStyle.Plain } scalar when long.TryParse(scalar.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) => JsonValue.Create(number),
        YamlScalarNode { Style: ScalarStyle.Plain } scalar when double.TryParse(scalar.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) => JsonValue.Create(number),
        YamlScalarNode scalar => JsonValue.Create(scalar.Value),
        _ => throw new NotSupportedException($"YAML node {node.NodeType}"),
    };

    [GeneratedRegex(@"\{[^}/]+\}")]
    private static partial Regex TemplateParameter();
}
