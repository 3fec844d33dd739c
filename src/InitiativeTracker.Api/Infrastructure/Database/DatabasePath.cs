using Microsoft.Data.Sqlite;

namespace InitiativeTracker.Api.Infrastructure.Database;

public static class DatabasePath
{
    /// <summary>Resolves a relative <c>Data Source</c> against the content root, so the file's place does not depend on the shell's directory.</summary>
    public static string Resolve(string connectionString, string contentRoot)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (builder.DataSource is not ("" or ":memory:") && !builder.DataSource.StartsWith("file:", StringComparison.OrdinalIgnoreCase)
            && !Path.IsPathRooted(builder.DataSource))
        {
            builder.DataSource = Path.GetFullPath(Path.Combine(contentRoot, builder.DataSource));
        }

        return builder.ToString();
    }
}
