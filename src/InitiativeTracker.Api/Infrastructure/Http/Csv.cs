using System.Collections.Concurrent;
using System.Globalization;
using System.Linq.Expressions;
using System.Reflection;
using System.Text;
using System.Text.Json;
using InitiativeTracker.Api.Features.Initiatives;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Net.Http.Headers;

namespace InitiativeTracker.Api.Infrastructure.Http;

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

    /// <summary>Rows are gathered into chunks of about this many characters: one write per chunk, not one per row.</summary>
    private const int ChunkLength = 32 * 1024;

    public static async Task WriteAsync<T>(TextWriter writer, IAsyncEnumerable<T> rows, CancellationToken ct)
    {
        var columns = Columns<T>.All;
        var text = new StringBuilder(ChunkLength + 4096);
        for (var i = 0; i < columns.Length; i++)
        {
            AppendText(text.Append(i > 0 ? "," : ""), columns[i].Name);
        }

        text.Append("\r\n");
        await foreach (var row in rows.WithCancellation(ct))
        {
            for (var i = 0; i < columns.Length; i++)
            {
                if (i > 0)
                {
                    text.Append(',');
                }

                AppendValue(text, columns[i].Read(row));
            }

            text.Append("\r\n");
            if (text.Length >= ChunkLength)
            {
                await writer.WriteAsync(text, ct);
                text.Clear();
            }
        }

        await writer.WriteAsync(text, ct);
    }

    /// <summary>Only text can hold a comma, quote or line break; numbers, dates and enum names never need quoting.</summary>
    private static void AppendValue(StringBuilder text, object? value)
    {
        var invariant = CultureInfo.InvariantCulture;
        switch (value)
        {
            case null:
                break;
            case string s:
                AppendText(text, s.Length > 0 && s[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + s : s);
                break;
            case DateOnly d:
                text.Append(invariant, $"{d:yyyy-MM-dd}");
                break;
            case DateTime t:
                text.Append(invariant, $"{t.ToUniversalTime():yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'}");
                break;
            case bool b:
                text.Append(b ? "true" : "false");
                break;
            case Enum e:
                text.Append(s_enumNames.GetOrAdd(e, EnumText.NameOf));
                break;
            case ISpanFormattable f:
                text.Append(invariant, $"{f}");
                break;
            default:
                AppendText(text, Convert.ToString(value, invariant) ?? "");
                break;
        }
    }

    private static void AppendText(StringBuilder text, string value)
    {
        if (value.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            text.Append(value);
            return;
        }

        text.Append('"').Append(value.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
    }

    /// <summary>Rows hold enums boxed, so the per-type maps of <see cref="EnumText"/> do not serve; the spelling is its.</summary>
    private static readonly ConcurrentDictionary<Enum, string> s_enumNames = new();

    /// <summary>A row type's columns, in declaration order, each with a compiled getter (read once per field of every row).</summary>
    private static class Columns<T>
    {
        public static readonly (string Name, Func<T, object?> Read)[] All = typeof(T)
            .GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => (JsonNamingPolicy.CamelCase.ConvertName(p.Name), Getter(p)))
            .ToArray();

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

    /// <summary>Marks the endpoint so the OpenAPI document lists text/csv beside its JSON 200 answer.</summary>
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => builder.Metadata.Add(CsvAlternative.Instance);
}

/// <summary>Endpoint metadata: the 200 answer is also available as CSV.</summary>
public sealed class CsvAlternative
{
    public static readonly CsvAlternative Instance = new();

    private CsvAlternative()
    {
    }
}
