using System.Globalization;
using nietras.SeparatedValues;

namespace InitiativeTracker.Api.Infrastructure.Http;

/// <summary>CSV that cannot be split into records, with the line it was found on.</summary>
public sealed class CsvFormatException(int line, string message) : FormatException($"Line {line}: {message}")
{
    public int Line { get; } = line;
}

/// <summary>
/// Reads RFC 4180 CSV, a record at a time, with Sep: fields separated by commas; a field in double quotes
/// may hold commas, line breaks and doubled quotes (<c>""</c>); records end with CRLF, LF or a lone CR.
/// Blank lines are skipped rather than read as a record of one empty field. Sep splits records and fields;
/// <see cref="Field"/> unquotes a quoted field, holding it to RFC 4180 where Sep is lenient.
/// </summary>
public sealed class CsvReader : IDisposable
{
    private static readonly SepReaderOptions s_options = Sep.New(',').Reader(o => o with
    {
        // The caller reads the header like any record: it may follow blank lines, and its names are matched by the caller's rules.
        HasHeader = false,
        // A record with more or fewer fields than the header is an error of that record, not of the whole text.
        DisableColCountCheck = true,
        CultureInfo = CultureInfo.InvariantCulture,
    });

    private readonly SepReader _sep;

    /// <summary>The line the next record starts on. Sep's <c>LineNumberFrom</c> is off by one for the first record, so this counts from its ends.</summary>
    private int _nextLine = 1;

    private CsvReader(SepReader sep) => _sep = sep;

    /// <summary>The line the current record starts on, counting from 1.</summary>
    public int Line { get; private set; }

    public int FieldCount => _sep.Current.ColCount;

    /// <summary>Sep reads the first record here.</summary>
    public static async Task<CsvReader> OpenAsync(TextReader text, CancellationToken ct) => new(await s_options.FromAsync(text, leaveOpen: true, ct));

    /// <summary>Moves to the next record that is not blank; false at the end of the text.</summary>
    public async ValueTask<bool> MoveNextAsync(CancellationToken ct)
    {
        while (true)
        {
            if (!await _sep.MoveNextAsync(ct))
            {
                return false;
            }

            Line = _nextLine;
            _nextLine = _sep.Current.LineNumberToExcl;
            if (!IsBlank(_sep.Current))
            {
                return true;
            }
        }
    }

    /// <summary>
    /// The text of a field of the current record. Sep leaves quotes in place and pairs them wherever they
    /// are; RFC 4180 quotes only a whole field, so text after its closing quote, or a quote never closed
    /// (which runs to the end of the text), is refused rather than guessed at.
    /// </summary>
    public string Field(int index)
    {
        var raw = _sep.Current[index].Span;
        if (raw is not ['"', .. var quoted])
        {
            return raw.ToString();
        }

        var i = 0;
        while (true)
        {
            var quote = quoted[i..].IndexOf('"');
            if (quote < 0)
            {
                throw new CsvFormatException(Line, "A quoted field is not closed.");
            }

            i += quote + 1;
            if (i == quoted.Length)
            {
                // Every quote inside was doubled, or the loop would have stopped on it.
                return quoted[..^1].ToString().Replace("\"\"", "\"", StringComparison.Ordinal);
            }

            if (quoted[i] != '"')
            {
                throw new CsvFormatException(Line, "Only a comma or a line end may follow a closing quote.");
            }

            i++;
        }
    }

    /// <summary>Sep's buffers go back to their pool; the text reader stays the caller's to close.</summary>
    public void Dispose() => _sep.Dispose();

    private static bool IsBlank(SepReader.Row record) => record.ColCount == 1 && record[0].Span is "" or "\"\"";
}
