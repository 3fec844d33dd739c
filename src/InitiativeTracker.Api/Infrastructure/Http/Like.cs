namespace InitiativeTracker.Api.Infrastructure.Http;

/// <summary>Builds LIKE patterns from user text, escaping the wildcards (use with <c>ESCAPE '\'</c>).</summary>
public static class Like
{
    public static string? Contains(string? text) =>
        string.IsNullOrEmpty(text)
            ? null
            : "%" + text.Replace(@"\", @"\\", StringComparison.Ordinal)
                .Replace("%", @"\%", StringComparison.Ordinal)
                .Replace("_", @"\_", StringComparison.Ordinal) + "%";
}
