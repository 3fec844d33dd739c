using System.Text.Json;

namespace InitiativeTracker.Cli.Commands;

/// <summary>One page of a list as the API pages it.</summary>
public sealed record Page(List<JsonElement> Items, long TotalCount, int Number, int Size)
{
    /// <summary>A page as the API writes it: <c>items</c>, <c>totalCount</c>, <c>page</c>, <c>pageSize</c>.</summary>
    public static Page From(JsonElement answer) => new(
        answer.GetProperty("items").EnumerateArray().ToList(),
        answer.GetProperty("totalCount").GetInt64(),
        answer.GetProperty("page").GetInt32(),
        answer.GetProperty("pageSize").GetInt32());
}

/// <summary>Reads one page, or with <c>--all</c> every page in turn (200 rows each unless told).</summary>
public static class Paging
{
    public const int AllPageSize = 200;

    public static async Task<(List<JsonElement> Rows, Page First)> ReadAsync(bool all, int? page, int? pageSize, Func<int?, int?, Task<Page>> read)
    {
        if (!all)
        {
            var one = await read(page, pageSize);
            return (one.Items, one);
        }

        var size = pageSize ?? AllPageSize;
        var first = await read(page ?? 1, size);
        var rows = new List<JsonElement>(first.Items);
        for (var next = first.Number + 1; first.Items.Count > 0 && (long)(next - 1) * size < first.TotalCount; next++)
        {
            var more = await read(next, size);
            if (more.Items.Count == 0)
            {
                break;
            }

            rows.AddRange(more.Items);
        }

        return (rows, first);
    }

    /// <summary>On a terminal, says when the table shows only part of the rows.</summary>
    public static void Hint(Call call, int shown, Page first)
    {
        if (call.Printer.Format == Output.OutputFormat.Table && shown < first.TotalCount)
        {
            call.Console.Error.WriteLine($"Page {first.Number} ({shown} of {first.TotalCount} rows); --page N for another, --all for every row.");
        }
    }
}
