using System.Globalization;

namespace InitiativeTracker.Api.Infrastructure.Database;

/// <summary>The text forms dates and timestamps take in the database; both compare correctly as text.</summary>
public static class SqlText
{
    public const string DateFormat = "yyyy-MM-dd";
    public const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    public static string Date(DateOnly date) => date.ToString(DateFormat, CultureInfo.InvariantCulture);

    public static string Timestamp(DateTime utc) => utc.ToString(TimestampFormat, CultureInfo.InvariantCulture);

    public static DateOnly ParseDate(string text) =>
        TryReadDate(text, out var year, out var month, out var day) && text.Length == DateFormat.Length
            ? new DateOnly(year, month, day)
            : DateOnly.ParseExact(text, DateFormat, CultureInfo.InvariantCulture);

    public static DateTime ParseTimestamp(string text) =>
        TryReadTimestamp(text, out var utc)
            ? utc
            : DateTime.ParseExact(text, TimestampFormat, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    // Every row read carries several dates and timestamps, and ParseExact was the costliest part of
    // mapping one: the stored forms are read digit by digit here. Anything else (a value written by
    // hand, say) falls back to ParseExact, which also reports it.
    private static bool TryReadTimestamp(string text, out DateTime utc)
    {
        utc = default;
        if (text.Length != 24 || text[10] != 'T' || text[13] != ':' || text[16] != ':' || text[19] != '.' || text[23] != 'Z'
            || !TryReadDate(text, out var year, out var month, out var day)
            || !TryDigits(text, 11, 2, out var hour) || hour > 23
            || !TryDigits(text, 14, 2, out var minute) || minute > 59
            || !TryDigits(text, 17, 2, out var second) || second > 59
            || !TryDigits(text, 20, 3, out var millisecond))
        {
            return false;
        }

        utc = new DateTime(year, month, day, hour, minute, second, millisecond, DateTimeKind.Utc);
        return true;
    }

    private static bool TryReadDate(string text, out int year, out int month, out int day)
    {
        month = day = 0;
        return TryDigits(text, 0, 4, out year) && year >= 1 && text.Length >= 10 && text[4] == '-' && text[7] == '-'
            && TryDigits(text, 5, 2, out month) && month is >= 1 and <= 12
            && TryDigits(text, 8, 2, out day) && day >= 1 && day <= DateTime.DaysInMonth(year, month);
    }

    private static bool TryDigits(string text, int start, int count, out int value)
    {
        value = 0;
        if (start + count > text.Length)
        {
            return false;
        }

        for (var i = start; i < start + count; i++)
        {
            if (!char.IsAsciiDigit(text[i]))
            {
                return false;
            }

            value = (value * 10) + (text[i] - '0');
        }

        return true;
    }
}
