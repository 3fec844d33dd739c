using System.Globalization;
using System.Text;
using Dapper;
using Microsoft.Data.Sqlite;

namespace InitiativeTracker.Api.Tests.Infrastructure;

/// <summary>
/// Every row of every table of a database file, as text, read beside the service as a backup script
/// would: two equal snapshots mean a request wrote nothing at all, not even an update that kept the row count.
/// </summary>
public static class DatabaseSnapshot
{
    public static async Task<string> OfAsync(string databaseFile)
    {
        await using var connection = new SqliteConnection($"Data Source={databaseFile};Pooling=False");
        await connection.OpenAsync();
        var tables = await connection.QueryAsync<string>(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name;");
        var snapshot = new StringBuilder();
        foreach (var table in tables)
        {
            snapshot.Append("== ").AppendLine(table);
            var columns = await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM pragma_table_info('{table}');");
            await using var command = connection.CreateCommand();
            // By every column, so tables without a rowid compare as reliably as the others.
            command.CommandText = $"SELECT * FROM \"{table}\" ORDER BY {string.Join(", ", Enumerable.Range(1, (int)columns))};";
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    snapshot.Append(reader.IsDBNull(i) ? "NULL" : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture)).Append('|');
                }

                snapshot.AppendLine();
            }
        }

        return snapshot.ToString();
    }
}
