using System.CommandLine;
using System.Text.Json;
using InitiativeTracker.Cli.Output;

namespace InitiativeTracker.Cli.Commands;

/// <summary>One page of a list as the API writes it (<c>items</c>, <c>totalCount</c>, <c>page</c>, <c>pageSize</c>), with the whole answer.</summary>
internal sealed record Page(List<JsonElement> Items, long TotalCount, int Number, int Size, JsonElement Answer)
{
    public static Page From(JsonElement answer) => new(
        answer.GetProperty("items").EnumerateArray().ToList(),
        answer.GetProperty("totalCount").GetInt64(),
        answer.GetProperty("page").GetInt32(),
        answer.GetProperty("pageSize").GetInt32(),
        answer);
}

/// <summary>
/// The <c>--page</c>, <c>--page-size</c> and <c>--all</c> of one paged command, and reading with them:
/// one page, or with <c>--all</c> every page in turn (200 rows each unless <c>--page-size</c> says).
/// </summary>
internal sealed class PageOptions
{
    public const int AllPageSize = 200;

    private readonly Option<int?> _page = Options.Number("--page", "The page to show, from 1.");
    private readonly Option<int?> _pageSize = Options.Number("--page-size", "Rows per page (1 to 200).");
    private readonly Option<bool> _all = new("--all") { Description = "Follow every page and show all rows." };

    public PageOptions(Command command)
    {
        command.Add(_page);
        command.Add(_pageSize);
        command.Add(_all);
    }

    public bool All(ParseResult parse) => parse.GetValue(_all);

    /// <summary>A list command: its rows read with <paramref name="send"/> (which sends the request for a page number and size), printed.</summary>
    public async Task ListAsync(Call call, Columns columns, Func<int?, int?, Task> send)
    {
        var (rows, first) = await ReadAsync(call, send);
        call.Printer.Rows(rows, columns);
        Hint(call, rows.Count, first);
    }

    /// <summary>The rows, and the first page read; each page is read from the JSON of the answer to <paramref name="send"/>.</summary>
    public async Task<(List<JsonElement> Rows, Page First)> ReadAsync(Call call, Func<int?, int?, Task> send)
    {
        var parse = call.Parse;
        if (!All(parse))
        {
            var one = await ReadPageAsync(parse.GetValue(_page), parse.GetValue(_pageSize));
            return (one.Items, one);
        }

        var size = parse.GetValue(_pageSize) ?? AllPageSize;
        var first = await ReadPageAsync(parse.GetValue(_page) ?? 1, size);
        var rows = new List<JsonElement>(first.Items);
        for (var next = first.Number + 1; first.Items.Count > 0 && (long)(next - 1) * size < first.TotalCount; next++)
        {
            var more = await ReadPageAsync(next, size);
            if (more.Items.Count == 0)
            {
                break;
            }

            rows.AddRange(more.Items);
        }

        return (rows, first);

        async Task<Page> ReadPageAsync(int? number, int? pageSize)
        {
            await send(number, pageSize);
            return Page.From(call.Session.LastJson());
        }
    }

    /// <summary>On a terminal, says when the table shows only part of the rows.</summary>
    public static void Hint(Call call, int shown, Page first)
    {
        if (call.Printer.Format == OutputFormat.Table && shown < first.TotalCount)
        {
            call.Console.Error.WriteLine($"Page {first.Number} ({shown} of {first.TotalCount} rows); --page N for another, --all for every row.");
        }
    }
}
