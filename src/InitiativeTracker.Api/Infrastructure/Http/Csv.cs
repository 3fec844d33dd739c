using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Metadata;

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

    /// <summary>Whether the client asked for CSV: <c>?format=csv</c>, or <c>Accept: text/csv</c> without <c>?format=json</c>.</summary>
    public static bool Requested(HttpRequest request, string? format) =>
        format is null
            ? request.Headers.Accept.ToString().Contains(ContentType, StringComparison.OrdinalIgnoreCase)
            : format.Equals("csv", StringComparison.OrdinalIgnoreCase);

    public static async Task WriteAsync<T>(TextWriter writer, IAsyncEnumerable<T> rows, CancellationToken ct)
    {
        var properties = typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance);
        await writer.WriteAsync(string.Join(',', properties.Select(p => Field(JsonNamingPolicy.CamelCase.ConvertName(p.Name)))));
        await writer.WriteAsync("\r\n");
        var line = new StringBuilder();
        await foreach (var row in rows.WithCancellation(ct))
        {
            line.Clear();
            for (var i = 0; i < properties.Length; i++)
            {
                if (i > 0)
                {
                    line.Append(',');
                }

                line.Append(Field(Format(properties[i].GetValue(row))));
            }

            line.Append("\r\n");
            await writer.WriteAsync(line, ct);
        }
    }

    private static string Format(object? value) => value switch
    {
        null => "",
        string s => s.Length > 0 && s[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + s : s,
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime t => t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        Enum e => JsonNamingPolicy.SnakeCaseLower.ConvertName(e.ToString()),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static string Field(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
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
