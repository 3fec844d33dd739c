using System.Text;

namespace InitiativeTracker.Api.Infrastructure.Http;

/// <summary>CSV that cannot be split into records, with the line it was found on.</summary>
public sealed class CsvFormatException(int line, string message) : FormatException($"Line {line}: {message}")
{
    public int Line { get; } = line;
}

/// <summary>
/// Reads RFC 4180 CSV: fields separated by commas; a field in double quotes may hold commas, line
/// breaks and doubled quotes (<c>""</c>); records end with CRLF, LF or a lone CR; a leading UTF-8
/// byte-order mark is skipped. Blank lines are skipped rather than read as a record of one empty field.
/// </summary>
public static class CsvReader
{
    public static IEnumerable<string[]> Read(string text)
    {
        var i = text.StartsWith('\uFEFF') ? 1 : 0;
        var line = 1;
        var fields = new List<string>();
        var field = new StringBuilder();
        while (i < text.Length)
        {
            fields.Clear();
            var recordLine = line;
            while (true)
            {
                field.Clear();
                if (i < text.Length && text[i] == '"')
                {
                    i = ReadQuoted(text, i + 1, field, recordLine, ref line);
                    if (i < text.Length && text[i] is not (',' or '\r' or '\n'))
                    {
                        throw new CsvFormatException(line, "Only a comma or a line end may follow a closing quote.");
                    }
                }
                else
                {
                    while (i < text.Length && text[i] is not (',' or '\r' or '\n'))
                    {
                        field.Append(text[i++]);
                    }
                }

                fields.Add(field.ToString());
                if (i < text.Length && text[i] == ',')
                {
                    i++;
                    continue;
                }

                if (i < text.Length && text[i] == '\r')
                {
                    i++;
                }

                if (i < text.Length && text[i] == '\n')
                {
                    i++;
                }

                line++;
                break;
            }

            if (fields is not [""])
            {
                yield return [.. fields];
            }
        }
    }

    /// <summary>Reads a quoted field's content from just after its opening quote; returns the index after its closing quote.</summary>
    private static int ReadQuoted(string text, int i, StringBuilder field, int recordLine, ref int line)
    {
        while (i < text.Length)
        {
            var c = text[i++];
            if (c == '"')
            {
                if (i < text.Length && text[i] == '"')
                {
                    field.Append('"');
                    i++;
                    continue;
                }

                return i;
            }

            if (c == '\n')
            {
                line++;
            }

            field.Append(c);
        }

        throw new CsvFormatException(recordLine, "A quoted field is not closed.");
    }
}
