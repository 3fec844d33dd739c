using System.Globalization;
using System.Text.RegularExpressions;
using nietras.SeparatedValues;

namespace InitiativeTracker.Api.Features.Initiatives;

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
public sealed partial class CsvReader : IDisposable
{
    /// <summary>
    /// The most text one record may take. Sep holds a whole record in its buffer, with an entry per field,
    /// and grows both to fit: a 16 MB header of commas had it allocate 192 MB. The longest valid import row
    /// (a 10,000-character description, its quotes doubled) is a fiftieth of this; at this length Sep's
    /// buffers stay within a few MB.
    /// </summary>
    public const int MaxRecordLength = 1024 * 1024;

    private static readonly SepReaderOptions s_options = Sep.New(',').Reader(o => o with
    {
        // The caller reads the header like any record: it may follow blank lines, and its names are matched by the caller's rules.
        HasHeader = false,
        // A record with more or fewer fields than the header is an error of that record, not of the whole text.
        DisableColCountCheck = true,
        CultureInfo = CultureInfo.InvariantCulture,
    });

    private readonly LimitedText _text;
    private readonly SepReader _sep;

    /// <summary>The line the next record starts on. Sep's <c>LineNumberFrom</c> is off by one for the first record, so this counts from its ends.</summary>
    private int _nextLine = 1;

    private CsvReader(LimitedText text, SepReader sep)
    {
        _text = text;
        _sep = sep;
    }

    /// <summary>The line the current record starts on, counting from 1.</summary>
    public int Line { get; private set; }

    public int FieldCount => _sep.Current.ColCount;

    public static async Task<CsvReader> OpenAsync(TextReader text, CancellationToken ct)
    {
        var limited = new LimitedText(text);
        try
        {
            // Sep reads the first record here.
            return new CsvReader(limited, await s_options.FromAsync(limited, ct));
        }
        catch (RecordTooLongException)
        {
            throw TooLong(1);
        }
    }

    /// <summary>Moves to the next record that is not blank; false at the end of the text.</summary>
    public async ValueTask<bool> MoveNextAsync(CancellationToken ct)
    {
        while (true)
        {
            _text.RecordRead();
            try
            {
                if (!await _sep.MoveNextAsync(ct))
                {
                    return false;
                }
            }
            catch (RecordTooLongException)
            {
                throw TooLong(_nextLine);
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
        return raw is not ['"', ..] ? raw.ToString()
            : QuotedField().IsMatch(raw) ? raw[1..^1].ToString().Replace("\"\"", "\"", StringComparison.Ordinal)
            : throw new CsvFormatException(Line, UnclosedField().IsMatch(raw)
                ? "A quoted field is not closed."
                : "Only a comma or a line end may follow a closing quote.");
    }

    /// <summary>A quote, then text whose quotes are doubled, then the closing quote.</summary>
    [GeneratedRegex("^\"(?:[^\"]|\"\")*\"\\z")]
    private static partial Regex QuotedField();

    [GeneratedRegex("^\"(?:[^\"]|\"\")*\\z")]
    private static partial Regex UnclosedField();

    /// <summary>Sep's buffers go back to their pool; the text reader stays the caller's to close.</summary>
    public void Dispose() => _sep.Dispose();

    private static bool IsBlank(SepReader.Row record) => record.ColCount == 1 && record[0].Span is "" or "\"\"";

    private static CsvFormatException TooLong(int line) =>
        new(line, $"A record runs past {MaxRecordLength} characters; check that every quoted field is closed.");

    /// <summary>
    /// Hands Sep text only while it keeps finding records: after <see cref="MaxRecordLength"/> characters
    /// with none, the next read fails instead of letting Sep grow its buffers for a longer one. The count
    /// starts when a record is taken, and Sep may already hold some of the next (it reads ahead in blocks of
    /// tens of KB), so the limit is approximate by that much; it bounds memory, not a row's exact size.
    /// </summary>
    private sealed class LimitedText(TextReader inner) : TextReader
    {
        private int _sinceRecord;

        public void RecordRead() => _sinceRecord = 0;

        public override int Read(Span<char> buffer) => Count(inner.Read(Allowed(buffer)));

        public override int Read(char[] buffer, int index, int count) => Read(buffer.AsSpan(index, count));

        public override async ValueTask<int> ReadAsync(Memory<char> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(Allowed(buffer), cancellationToken));

        public override Task<int> ReadAsync(char[] buffer, int index, int count) => ReadAsync(buffer.AsMemory(index, count)).AsTask();

        private Span<char> Allowed(Span<char> buffer) => buffer[..Math.Min(buffer.Length, Remaining())];

        private Memory<char> Allowed(Memory<char> buffer) => buffer[..Math.Min(buffer.Length, Remaining())];

        /// <summary>At least one character while under the limit, so a read returns 0 only at the end of the text.</summary>
        private int Remaining() => _sinceRecord <= MaxRecordLength ? MaxRecordLength + 1 - _sinceRecord : throw new RecordTooLongException();

        private int Count(int read)
        {
            _sinceRecord += read;
            return read;
        }
    }

    private sealed class RecordTooLongException : Exception
    {
    }
}
