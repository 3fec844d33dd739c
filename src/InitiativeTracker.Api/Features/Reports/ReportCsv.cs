using System.Collections.Concurrent;
using System.Globalization;
using System.Linq.Expressions;
using System.Reflection;
using System.Text;
using System.Text.Json;
using InitiativeTracker.Api.Features.Initiatives;
using InitiativeTracker.Api.Infrastructure.OpenApi;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Net.Http.Headers;
using Microsoft.OpenApi;
using nietras.SeparatedValues;

namespace InitiativeTracker.Api.Features.Reports;

/// <summary>
/// RFC 4180 CSV for spreadsheets: UTF-8 with a byte-order mark (so non-ASCII names open correctly),
/// CRLF line ends, a header row of the JSON field names, invariant formatting (dates yyyy-MM-dd,
/// timestamps ISO 8601 UTC, enums snake_case, '.' decimals). Text that a spreadsheet would run as a
/// formula (starting with = + - @) is prefixed with an apostrophe.
/// </summary>
public static class Csv
{
    public const string ContentType = "text/csv";

    /// <summary>
    /// Whether to answer CSV: an explicit <c>?format=</c> decides; otherwise CSV when Accept rates text/csv
    /// above zero and above application/json (each by its most specific range, <c>text/*</c> and <c>*/*</c>
    /// included, RFC 9110 §12.5.1), else JSON: absent, unreadable, <c>*/*</c> and ties are JSON. The answer
    /// is marked <c>Vary: Accept</c> either way, so a cache keeps the two forms of one URL apart.
    /// </summary>
    public static bool Negotiate(HttpRequest request, string? format)
    {
        request.HttpContext.Response.Headers.Append(HeaderNames.Vary, HeaderNames.Accept);
        if (format is not null)
        {
            return format.Equals("csv", StringComparison.OrdinalIgnoreCase);
        }

        if (!MediaTypeHeaderValue.TryParseList(request.Headers.Accept, out var accepted) || accepted.Count == 0)
        {
            return false;
        }

        var csv = Quality(accepted, "text", "csv");
        return csv > 0 && csv > Quality(accepted, "application", "json");
    }

    /// <summary>The q of the most specific range in <paramref name="accepted"/> that covers type/subtype; 0 when none does.</summary>
    private static double Quality(IList<MediaTypeHeaderValue> accepted, string type, string subtype)
    {
        var best = -1;
        var quality = 0.0;
        foreach (var range in accepted)
        {
            var specificity = range.MatchesAllTypes ? 0
                : !range.Type.Equals(type, StringComparison.OrdinalIgnoreCase) ? -1
                : range.MatchesAllSubTypes ? 1
                : range.SubType.Equals(subtype, StringComparison.OrdinalIgnoreCase) ? 2
                : -1;
            if (specificity > best)
            {
                best = specificity;
                quality = range.Quality ?? 1.0;
            }
        }

        return quality;
    }

    /// <summary>Records are gathered into chunks of about this many characters: one write per chunk, not one per row.</summary>
    private const int ChunkLength = 32 * 1024;

    /// <summary>
    /// Writes a header row of <typeparamref name="T"/>'s JSON names, then a record per row as it arrives.
    /// Sep quotes a field that holds a comma, quote or line break (doubling its quotes). It writes each
    /// field to its <see cref="TextWriter"/> as a separate call, so it writes synchronously into a chunk
    /// that goes out asynchronously when full: through the response's own writer each field was an
    /// awaited write, and the full overdue CSV took about three times as long.
    /// </summary>
    public static async Task WriteAsync<T>(TextWriter writer, IAsyncEnumerable<T> rows, CancellationToken ct)
    {
        var chunk = new StringBuilder(ChunkLength + 4096);
        // Sep ends a record with the writer's NewLine: RFC 4180's CRLF, whatever the platform's.
        using var csv = s_writer.To(new StringWriter(chunk, CultureInfo.InvariantCulture) { NewLine = "\r\n" });
        csv.Header.Add(Columns<T>.Names);
        csv.Header.Write();
        await foreach (var row in rows.WithCancellation(ct))
        {
            WriteRecord(csv, row);
            if (chunk.Length >= ChunkLength)
            {
                await writer.WriteAsync(chunk, ct);
                chunk.Clear();
            }
        }

        await writer.WriteAsync(chunk, ct);
    }

    private static void WriteRecord<T>(SepWriter csv, T row)
    {
        var getters = Columns<T>.Getters;
        using var record = csv.NewRow();
        for (var i = 0; i < getters.Length; i++)
        {
            Write(record[i], getters[i](row));
        }
    }

    private static readonly SepWriterOptions s_writer = Sep.New(',').Writer(o => o with { Escape = true, CultureInfo = CultureInfo.InvariantCulture });

    /// <summary>Text is quoted by Sep as needed; numbers, dates and enum names never need it.</summary>
    private static void Write(SepWriter.Col field, object? value)
    {
        switch (value)
        {
            case null:
                field.Set("");
                break;
            case string s when s.Length > 0 && s[0] is '=' or '+' or '-' or '@' or '\t' or '\r':
                field.Set($"'{s}");
                break;
            case string s:
                field.Set(s);
                break;
            case DateOnly d:
                field.Format(d, "yyyy-MM-dd");
                break;
            case DateTime t:
                field.Format(t.ToUniversalTime(), "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'");
                break;
            case bool b:
                field.Set(b ? "true" : "false");
                break;
            case Enum e:
                field.Set(s_enumNames.GetOrAdd(e, EnumText.NameOf));
                break;
            case ISpanFormattable f:
                field.Format(f);
                break;
            default:
                field.Set(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }

    /// <summary>Rows hold enums boxed, so the per-type maps of <see cref="EnumText"/> do not serve; the spelling is its.</summary>
    private static readonly ConcurrentDictionary<Enum, string> s_enumNames = new();

    /// <summary>
    /// A row type's columns: by <see cref="System.Text.Json.Serialization.JsonPropertyOrderAttribute"/>, then in
    /// declaration order (a base type's first), never in whatever order reflection lists them; their JSON
    /// names, and a getter compiled once for each (read once per field of every row).
    /// </summary>
    private static class Columns<T>
    {
        private static readonly PropertyInfo[] s_properties = [.. typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .OrderBy(p => p.GetCustomAttribute<System.Text.Json.Serialization.JsonPropertyOrderAttribute>()?.Order ?? 0)
            .ThenBy(p => p.MetadataToken)];

        public static readonly string[] Names = [.. s_properties.Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name))];

        public static readonly Func<T, object?>[] Getters = [.. s_properties.Select(Getter)];

        private static Func<T, object?> Getter(PropertyInfo property)
        {
            var row = Expression.Parameter(typeof(T), "row");
            return Expression.Lambda<Func<T, object?>>(Expression.Convert(Expression.Property(row, property), typeof(object)), row).Compile();
        }
    }
}

/// <summary>
/// A CSV download of every row: <c>text/csv; charset=utf-8</c> with a BOM and <c>Content-Disposition:
/// attachment</c>. Rows are written as they arrive, so a streamed report never sits in memory whole.
/// </summary>
public sealed class CsvResult<T>(string fileName, IAsyncEnumerable<T> rows) : IResult, IEndpointMetadataProvider
{
    public CsvResult(string fileName, IEnumerable<T> rows)
        : this(fileName, rows.ToAsyncEnumerable())
    {
    }

    private static readonly UTF8Encoding s_utf8WithBom = new(encoderShouldEmitUTF8Identifier: true);

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.ContentType = "text/csv; charset=utf-8";
        response.Headers.ContentDisposition = $"attachment; filename=\"{fileName}\"";
        await using var writer = new StreamWriter(response.Body, s_utf8WithBom, bufferSize: 64 * 1024);
        await Csv.WriteAsync(writer, rows, httpContext.RequestAborted);
    }

    /// <summary>Documents the endpoint's 200 answer as also available as CSV, beside its JSON form.</summary>
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => builder.Metadata.Add(s_documentation);

    private static readonly OperationDocumentation s_documentation = new((operation, _) =>
    {
        if (operation.Responses?.GetValueOrDefault("200") is not OpenApiResponse { Content: { } content } ok)
        {
            return;
        }

        content[Csv.ContentType] = new OpenApiMediaType
        {
            Schema = new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Description = "RFC 4180 CSV, UTF-8 with a byte-order mark, CRLF line ends, a header row of the JSON field names, "
                    + "every row (no paging), with 'Content-Disposition: attachment'. Sent for '?format=csv', or, without '?format', "
                    + "when Accept rates text/csv above application/json (q-values count: 'text/csv;q=0' refuses it; '*/*' and ties are JSON).",
            },
        };
        ok.Headers ??= new Dictionary<string, IOpenApiHeader>();
        ok.Headers["Vary"] = new OpenApiHeader
        {
            Description = "Accept: the same URL answers JSON or CSV by the request's Accept header.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String },
        };
    });
}
