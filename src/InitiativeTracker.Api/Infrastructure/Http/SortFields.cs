namespace InitiativeTracker.Api.Infrastructure.Http;

/// <summary>
/// The fields a list may be sorted by, each mapped to its SQL column. Only these column strings
/// ever reach the ORDER BY, so a sort parameter cannot inject SQL.
/// </summary>
public sealed class SortFields(IReadOnlyDictionary<string, string> columns, string defaultOrder)
{
    public const int MaxLength = 200;

    public IEnumerable<string> Names => columns.Keys;

    public bool IsValid(string? sort) =>
        sort is null || (sort.Length <= MaxLength && Terms(sort).All(t => t.Field is not null && columns.ContainsKey(t.Field)));

    /// <summary>The ORDER BY clause for a validated <paramref name="sort"/>; the id breaks ties so pages are stable.</summary>
    public string OrderBy(string? sort)
    {
        if (string.IsNullOrWhiteSpace(sort))
        {
            return defaultOrder;
        }

        var terms = Terms(sort).Select(t => $"{columns[t.Field!]} {(t.Descending ? "DESC" : "ASC")}");
        return string.Join(", ", terms) + ", id ASC";
    }

    private static IEnumerable<(string? Field, bool Descending)> Terms(string sort) =>
        sort.Split(',', StringSplitOptions.TrimEntries).Select(term => term switch
        {
            "" or "-" or "+" => (null, false),
            _ when term[0] == '-' => (term[1..], true),
            _ when term[0] == '+' => (term[1..], false),
            _ => ((string?)term, false),
        });
}
