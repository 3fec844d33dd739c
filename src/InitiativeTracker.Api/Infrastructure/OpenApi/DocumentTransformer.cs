using System.Globalization;
using System.Text.Json.Nodes;
using InitiativeTracker.Api.Infrastructure.Errors;
using InitiativeTracker.Api.Infrastructure.Idempotency;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.OpenApi;

namespace InitiativeTracker.Api.Infrastructure.OpenApi;

/// <summary>
/// Fills in what the generator cannot know: the description, the API-key security schemes, no
/// host-specific <c>servers</c> (so the committed <c>openapi.yaml</c> and the served document compare
/// equal), tag descriptions, and the shared components operations refer to:
/// the problem schemas with every problem <c>type</c>, the problem responses, and the conditional and
/// idempotency headers.
/// </summary>
internal sealed class DocumentTransformer : IOpenApiDocumentTransformer
{
    public const string ProblemSchema = "ProblemDetails";
    public const string ValidationProblemSchema = "HttpValidationProblemDetails";
    public const string ProblemMediaType = "application/problem+json";

    private static readonly Dictionary<string, string> s_tagDescriptions = new()
    {
        ["Health"] = "Liveness and readiness probes. Public.",
        ["Meetings"] = "The meetings whose decisions are followed up, seeded with the June 5, 2023 meeting.",
        ["Directions"] = "The strategic directions a meeting set; initiatives derive from them.",
        ["Owners"] = "The people accountable for initiatives.",
        ["Task forces"] = "The dedicated task forces that carry initiatives through, each led by an owner.",
        ["Initiatives"] = "The initiatives derived from the directions: owner, deadline, status, progress and health.",
        ["Email"] = "Owners' daily deadline reminders and coordinators' weekly digests by email (off until Tracker:Email:Smtp:Host is set): "
            + "subscriptions, the outbox, a test message, and the one-click unsubscribe link of every email.",
    };

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "InitiativeTracker API",
            Version = "v1",
            Description = "Tracks the initiatives derived from the strategic directions of Xi'an Jiaotong University's "
                + "June 5, 2023 meeting: owners, task forces, deadlines, progress check-ins and execution reports. "
                + "Authenticate with `Authorization: Bearer <key>` or `X-Api-Key: <key>`. Errors are application/problem+json "
                + "(RFC 9457) with a stable `type` per kind of problem (listed on the ProblemDetails schema). "
                + "Single resources carry an ETag: send it back as If-Match to update safely (412 when stale) or as "
                + "If-None-Match to revalidate (304). Every POST takes an Idempotency-Key so it can be retried safely.",
        };
        document.Servers = [];

        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>
        {
            ["bearer"] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "An API key sent as `Authorization: Bearer <key>`.",
            },
            ["apiKey"] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = "X-Api-Key",
                Description = "The same API key, sent as `X-Api-Key: <key>`.",
            },
        };
        document.Security =
        [
            new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("bearer", document)] = [] },
            new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("apiKey", document)] = [] },
        ];

        foreach (var tag in document.Tags ?? new HashSet<OpenApiTag>())
        {
            tag.Description ??= s_tagDescriptions.GetValueOrDefault(tag.Name ?? "");
        }

        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas[ProblemSchema] = Problem(validation: false);
        document.Components.Schemas[ValidationProblemSchema] = Problem(validation: true);

        document.Components.Responses = ProblemCatalog.Responses.ToDictionary(r => r.Value.Component, r => (IOpenApiResponse)Response(r.Key, r.Value, document));
        document.Components.Headers = Headers();
        document.Components.Parameters = Parameters();
        return Task.CompletedTask;
    }

    private static OpenApiSchema Problem(bool validation)
    {
        var schema = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = validation
                ? "A problem (RFC 9457) whose `errors` name what is invalid: each key is a camelCase field (`rows[3].deadline` in an import), a query parameter or a header. "
                    + "A JSON body that names a member twice is refused with the member as sent as the key (`'role' appears more than once.`)."
                : "A problem (RFC 9457). Clients branch on `type`; extension members may follow the standard ones.",
            Required = new HashSet<string> { "type", "title", "status", "detail", "traceId" },
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["type"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.String,
                    Format = "uri",
                    Description = "The kind of problem, stable once published:\n\n"
                        + string.Join("\n", ProblemCatalog.Types.Select(t => $"- `{t}`: {ProblemCatalog.Meaning(t)}")),
                    Enum = ProblemCatalog.Types.Select(t => (JsonNode)JsonValue.Create(t)).ToList(),
                },
                ["title"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "A short summary of the kind of problem." },
                ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Description = "The HTTP status code." },
                ["detail"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.String,
                    Description = "What went wrong with this request, and what to do: the message to show.",
                    // Generated clients (Kiota) make this the message of the exception they throw.
                    Extensions = new Dictionary<string, IOpenApiExtension> { ["x-ms-primary-error-message"] = new JsonNodeExtension(JsonValue.Create(true)) },
                },
                ["instance"] = new OpenApiSchema { Type = JsonSchemaType.String },
                ["traceId"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "Identifies the request in the server's logs." },
                ["errors"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Description = "What is wrong, keyed by field, query parameter or header.",
                    AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
                    MaxProperties = ProblemException.MaxListedErrors,
                },
                [ProblemException.NotListedMember] = new OpenApiSchema
                {
                    Type = JsonSchemaType.Integer,
                    Format = "int32",
                    Minimum = "1",
                    Description = $"Present when more than {ProblemException.MaxListedErrors} fields are in error: `errors` lists the first "
                        + $"{ProblemException.MaxListedErrors} found, and this counts the rest.",
                },
            },
            AdditionalProperties = new OpenApiSchema(),
        };
        if (validation)
        {
            schema.Required.Add("errors");
        }

        return schema;
    }

    private static OpenApiResponse Response(string status, ProblemResponse problem, OpenApiDocument document)
    {
        var code = int.Parse(status, CultureInfo.InvariantCulture);
        var type = problem.Type ?? ProblemTypes.ForStatus(code);
        var example = new JsonObject
        {
            ["type"] = type,
            ["title"] = problem.Title ?? ReasonPhrases.GetReasonPhrase(code),
            ["status"] = code,
            ["detail"] = problem.Detail,
            ["traceId"] = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00",
        };
        if (problem.Errors is { } errors)
        {
            example["errors"] = new JsonObject(errors.Select(e => KeyValuePair.Create(e.Key, (JsonNode?)new JsonArray(e.Value.Select(m => (JsonNode)m).ToArray()))));
        }

        return new OpenApiResponse
        {
            Description = problem.Description,
            Headers = problem.Header is { } header ? new Dictionary<string, IOpenApiHeader> { [header] = new OpenApiHeaderReference(header, document) } : null,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                [ProblemMediaType] = new()
                {
                    Schema = new OpenApiSchemaReference(type == ProblemTypes.Validation ? ValidationProblemSchema : ProblemSchema, document),
                    Example = example,
                },
            },
        };
    }

    private static Dictionary<string, IOpenApiHeader> Headers() => new()
    {
        [SharedComponents.ETagHeader] = new OpenApiHeader
        {
            Description = "The resource's version, quoted (\"3\"). Send it as If-Match to update only that version, or as If-None-Match to revalidate.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            Example = JsonValue.Create("\"3\""),
        },
        [SharedComponents.LocationHeader] = new OpenApiHeader
        {
            Description = "The address of the created resource (201), or of the queued work to follow for its outcome (202).",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uri-reference" },
            Example = JsonValue.Create("/api/v1/initiatives/42"),
        },
        [SharedComponents.ReplayedHeader] = new OpenApiHeader
        {
            Description = "Present (`true`) when this answer is the stored answer to an earlier request with the same Idempotency-Key; nothing was written again.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [JsonValue.Create("true")] },
        },
        [SharedComponents.RetryAfterHeader] = new OpenApiHeader
        {
            Description = "Seconds to wait before retrying.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "0" },
        },
        [SharedComponents.WwwAuthenticateHeader] = new OpenApiHeader
        {
            Description = "The scheme to authenticate with: Bearer.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String },
        },
    };

    private static Dictionary<string, IOpenApiParameter> Parameters() => new()
    {
        [SharedComponents.IfMatchParameter] = new OpenApiParameter
        {
            Name = "If-Match",
            In = ParameterLocation.Header,
            Description = "Apply the change only if the resource's ETag is one of these (or `*`, any); otherwise 412. Without it the change is applied to whatever version is current. "
                + "Tags are quoted, as the ETag header gives them (`\"3\"`); a value that is not `*` or a list of tags (`3`) is a 400 keyed `If-Match`. "
                + "A PUT or PATCH that changes no field is checked all the same, then answers the resource as it was (the same ETag, version and updatedAt) and writes nothing.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            Example = JsonValue.Create("\"3\""),
        },
        [SharedComponents.IfNoneMatchParameter] = new OpenApiParameter
        {
            Name = "If-None-Match",
            In = ParameterLocation.Header,
            Description = "The ETag(s) the client holds (weak comparison; `*` for any): when one is current the answer is 304 Not Modified without a body. "
                + "A value that is not `*` or a list of quoted tags is a 400 keyed `If-None-Match`.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            Example = JsonValue.Create("\"3\""),
        },
        [SharedComponents.IdempotencyKeyParameter] = new OpenApiParameter
        {
            Name = IdempotencyMiddleware.HeaderName,
            In = ParameterLocation.Header,
            Description = "A key of the client's choosing (a UUID is a good choice), unique per request it means to make. The same key with the same "
                + "method, path and body within 24 hours replays the first 2xx answer (status, body, Location, ETag) with Idempotent-Replayed: true "
                + "and writes nothing; with another request it is a 422. A duplicate sent while the first is running waits for it and gets its "
                + "answer (or a 409 with Retry-After after 30 s). Keys are per API key. Answers other than 2xx are not kept, so such a request "
                + "can be retried with the same key.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = IdempotencyMiddleware.MaxKeyLength, Pattern = "^[\\x20-\\x7E]+$" },
            Example = JsonValue.Create("9b2f6a3e-5d1c-4f0e-8a47-2c5b1e7d9f03"),
        },
    };
}

/// <summary>The names of the shared header and parameter components operations refer to.</summary>
internal static class SharedComponents
{
    public const string ETagHeader = "ETag";
    public const string LocationHeader = "Location";
    public const string ReplayedHeader = IdempotencyMiddleware.ReplayedHeader;
    public const string RetryAfterHeader = "Retry-After";
    public const string WwwAuthenticateHeader = "WWW-Authenticate";
    public const string IfMatchParameter = "IfMatch";
    public const string IfNoneMatchParameter = "IfNoneMatch";
    public const string IdempotencyKeyParameter = "IdempotencyKey";
}
