using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using nietras.SeparatedValues;

namespace InitiativeTracker.Cli.Output;

internal enum OutputFormat
{
    Table,
    Json,
    Csv,
}

/// <summary>Writes results to standard output as a table, JSON or CSV.</summary>
internal sealed class Printer(TextWriter output, OutputFormat format)
{
    private const int MaxCellWidth = 48;

    private static readonly JsonSerializerOptions s_indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly SepWriterOptions s_csv = Sep.New(',').Writer(o => o with { Escape = true, CultureInfo = CultureInfo.InvariantCulture });

    public OutputFormat Format => format;

    public TextWriter Output => output;

    /// <summary>One resource: JSON as is, CSV as a header and one record, a table of field and value.</summary>
    public void Record(JsonElement record, Columns columns)
    {
        switch (format)
        {
            case OutputFormat.Json:
                WriteJson(record);
                break;
            case OutputFormat.Csv:
                WriteCsv([record], columns.All);
                break;
            default:
                var width = columns.All.Max(c => c.Length);
                foreach (var column in columns.All)
                {
                    output.WriteLine($"{column.PadRight(width)}  {Text(record, column)}");
                }

                break;
        }
    }

    /// <summary>Rows: a JSON array, CSV of every field, or a table of the <see cref="Columns.Table"/> fields.</summary>
    public void Rows(IReadOnlyList<JsonElement> rows, Columns columns)
    {
        switch (format)
        {
            case OutputFormat.Json:
                WriteJson(JsonSerializer.SerializeToElement(rows));
                break;
            case OutputFormat.Csv:
                WriteCsv(rows, columns.All.Length > 0 ? columns.All : columns.Table);
                break;
            default:
                Table(rows, columns.Table);
                break;
        }
    }

    public void WriteJson(JsonElement value) => output.WriteLine(JsonSerializer.Serialize(value, s_indented));

    /// <summary>A table with a header row; long text is cut to <see cref="MaxCellWidth"/> characters.</summary>
    public void Table(IReadOnlyList<JsonElement> rows, string[] columns)
    {
        if (rows.Count == 0)
        {
            output.WriteLine("(none)");
            return;
        }

        var cells = rows.Select(r => columns.Select(c => Cut(Text(r, c))).ToArray()).ToList();
        var widths = columns.Select((c, i) => Math.Max(c.Length, cells.Max(r => r[i].Length))).ToArray();
        output.WriteLine(Line(columns));
        output.WriteLine(Line(widths.Select(w => new string('-', w)).ToArray()));
        foreach (var row in cells)
        {
            output.WriteLine(Line(row));
        }

        string Line(string[] values) =>
            string.Join("  ", values.Select((v, i) => i == values.Length - 1 ? v : v.PadRight(widths[i]))).TrimEnd();

        static string Cut(string text)
        {
            var line = text.ReplaceLineEndings(" ");
            return line.Length <= MaxCellWidth ? line : string.Concat(line.AsSpan(0, MaxCellWidth - 1), "…");
        }
    }

    /// <summary>
    /// RFC 4180 CSV (CRLF, quoted where needed) as the service writes its report CSV, including its
    /// guard against spreadsheet formulas: text that starts with =, +, -, @, a tab or CR gets a leading '.
    /// </summary>
    private void WriteCsv(IReadOnlyList<JsonElement> rows, string[] columns)
    {
        var text = new StringBuilder();
        using (var csv = s_csv.To(new StringWriter(text, CultureInfo.InvariantCulture) { NewLine = "\r\n" }))
        {
            csv.Header.Add(columns);
            csv.Header.Write();
            foreach (var row in rows)
            {
                using var record = csv.NewRow();
                for (var i = 0; i < columns.Length; i++)
                {
                    var value = Text(row, columns[i]);
                    var isText = row.TryGetProperty(columns[i], out var field) && field.ValueKind == JsonValueKind.String;
                    record[i].Set(isText && value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + value : value);
                }
            }
        }

        output.Write(text.ToString());
    }

    /// <summary>A field as text: strings as they are, null and absent as empty, anything else as its JSON.</summary>
    public static string Text(JsonElement row, string column) =>
        !row.TryGetProperty(column, out var value) ? ""
        : value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!,
            JsonValueKind.Null or JsonValueKind.Undefined => "",
            _ => value.GetRawText(),
        };
}
