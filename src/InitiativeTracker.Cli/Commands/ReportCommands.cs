using System.CommandLine;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using InitiativeTracker.Cli.Output;
using InitiativeTracker.Client.Models;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Serialization;

namespace InitiativeTracker.Cli.Commands;

/// <summary>
/// <c>tracker report overdue|upcoming|progress|execution|trend</c>. JSON and tables come from the report's
/// JSON; <c>--output csv</c> is the service's own CSV of the report (every row, no paging).
/// </summary>
internal static class ReportCommands
{
    public static Command Create(CommandContext context) => new("report", "Reports: what is late, what is due, progress, execution and trends.")
    {
        Overdue(context),
        Upcoming(context),
        Progress(context),
        Execution(context),
        Trend(context),
    };

    /// <summary>The filters every report takes, set by their query names on the request the generated builder made.</summary>
    private sealed class Scope
    {
        private readonly Option<DateOnly?> _asOf = Options.Date("--as-of", "The report as it stood on this date (default: today).");
        private readonly Option<string?> _tz = Options.Text("--tz", "The IANA time zone that decides 'today' (default: the service's).");
        private readonly Option<long?> _owner = Options.Id("--owner", "Only this owner's initiatives (an owner id).");
        private readonly Option<long?> _direction = Options.Id("--direction", "Only under this direction (a direction id).");
        private readonly Option<long?> _taskForce = Options.Id("--task-force", "Only this task force's initiatives (a task force id).");

        public Scope(Command command, bool asOf = true)
        {
            if (asOf)
            {
                command.Add(_asOf);
            }

            command.Add(_tz);
            command.Add(_owner);
            command.Add(_direction);
            command.Add(_taskForce);
        }

        public void Apply(RequestInformation request, ParseResult parse)
        {
            Set("asOf", parse.GetValue(_asOf).ToKiota());
            Set("tz", parse.GetValue(_tz));
            Set("ownerId", parse.GetValue(_owner));
            Set("directionId", parse.GetValue(_direction));
            Set("taskForceId", parse.GetValue(_taskForce));

            void Set(string name, object? value)
            {
                if (value is not null)
                {
                    request.QueryParameters[name] = value;
                }
            }
        }
    }

    private static Command Overdue(CommandContext context)
    {
        var groupBy = Options.OneOf<ReportGroupBy>("--group-by", "Order the rows by group and count each group.");
        var command = new Command("overdue", "Open initiatives past their deadline, most overdue first.") { groupBy };
        var paging = new PageOptions(command);
        var scope = new Scope(command);
        command.SetAction((parse, ct) => context.RunAsync(parse, call => PagedReportAsync(call, paging, OverdueReport.CreateFromDiscriminatorValue, (number, size) =>
        {
            var request = call.Session.Api.Api.V1.Reports.Overdue.ToGetRequestInformation(c =>
            {
                c.QueryParameters.GroupBy = EnumText.ParseOrNull<ReportGroupBy>(parse.GetValue(groupBy));
                c.QueryParameters.Page = number;
                c.QueryParameters.PageSize = size;
            });
            scope.Apply(request, parse);
            return request;
        }, report => $"Overdue on {Field(report, "asOf")} ({Field(report, "timeZone")}): {Field(report, "totalCount")}", Columns.OverdueRow, ct)));
        return command;
    }

    private static Command Upcoming(CommandContext context)
    {
        var within = Options.Number("--within-days", "How far ahead to look, in days.");
        var groupBy = Options.OneOf<ReportGroupBy>("--group-by", "Order the rows by group and count each group.");
        var command = new Command("upcoming", "Open initiatives due soon, soonest first.") { within, groupBy };
        var paging = new PageOptions(command);
        var scope = new Scope(command);
        command.SetAction((parse, ct) => context.RunAsync(parse, call => PagedReportAsync(call, paging, UpcomingReport.CreateFromDiscriminatorValue, (number, size) =>
        {
            var request = call.Session.Api.Api.V1.Reports.Upcoming.ToGetRequestInformation(c =>
            {
                c.QueryParameters.WithinDays = parse.GetValue(within);
                c.QueryParameters.Page = number;
                c.QueryParameters.PageSize = size;
            });
            // The same three groupings as overdue; each report has its own generated enum of them.
            if (parse.GetValue(groupBy) is { } group)
            {
                request.QueryParameters["groupBy"] = group;
            }

            scope.Apply(request, parse);
            return request;
        }, report => $"Due within {Field(report, "withinDays")} days of {Field(report, "asOf")} ({Field(report, "timeZone")}): {Field(report, "totalCount")}", Columns.UpcomingRow, ct)));
        return command;
    }

    private static Command Progress(CommandContext context)
    {
        var command = new Command("progress", "Counts by status and health, mean progress and on-time rate, per direction and overall.");
        var scope = new Scope(command);
        command.SetAction((parse, ct) => context.RunAsync(parse, call => ReportAsync(call, () =>
        {
            var request = call.Session.Api.Api.V1.Reports.Progress.ToGetRequestInformation();
            scope.Apply(request, parse);
            return request;
        }, ProgressReport.CreateFromDiscriminatorValue, report =>
        {
            call.Printer.Output.WriteLine($"Progress on {Field(report, "asOf")} ({Field(report, "timeZone")})");
            var rows = report.GetProperty("directions").EnumerateArray().Append(report.GetProperty("overall")).ToList();
            call.Printer.Table(rows, Columns.ProgressRow.Table);
        }, ct)));
        return command;
    }

    private static Command Execution(CommandContext context)
    {
        var groupBy = Options.OneOf<ReportGroupBy>("--group-by", "One row per owner (default), task force or direction.");
        var from = Options.Date("--from", "Count completions from this date.");
        var to = Options.Date("--to", "Count completions up to this date.");
        var staleAfter = Options.Number("--stale-after-days", "An open initiative without a check-in for this many days is stale.");
        var command = new Command("execution", "Who delivers on time: completions against deadlines, open and overdue work, deadline moves.")
        {
            groupBy, from, to, staleAfter,
        };
        var scope = new Scope(command);
        command.SetAction((parse, ct) => context.RunAsync(parse, call => ReportAsync(call, () =>
        {
            var request = call.Session.Api.Api.V1.Reports.Execution.ToGetRequestInformation(c =>
            {
                c.QueryParameters.From = parse.GetValue(from).ToKiota();
                c.QueryParameters.To = parse.GetValue(to).ToKiota();
                c.QueryParameters.StaleAfterDays = parse.GetValue(staleAfter);
            });
            if (parse.GetValue(groupBy) is { } group)
            {
                request.QueryParameters["groupBy"] = group;
            }

            scope.Apply(request, parse);
            return request;
        }, ExecutionReport.CreateFromDiscriminatorValue, report =>
        {
            call.Printer.Output.WriteLine($"Execution from {Field(report, "from")} to {Field(report, "to")} by {Field(report, "groupBy")} ({Field(report, "timeZone")})");
            call.Printer.Table(report.GetProperty("groups").EnumerateArray().ToList(), Columns.ExecutionRow.Table);
        }, ct)));
        return command;
    }

    private static Command Trend(CommandContext context)
    {
        var from = Options.Date("--from", "The first date.");
        var to = Options.Date("--to", "The last date.");
        var interval = Options.OneOf<TrendInterval>("--interval", "One point per day, week or month.");
        var groupBy = Options.OneOf<ReportGroupBy>("--group-by", "One series per owner, task force or direction (default: one for all).");
        var command = new Command("trend", "How the counts, progress and on-time rate moved over time.") { from, to, interval, groupBy };
        var scope = new Scope(command, asOf: false);
        command.SetAction((parse, ct) => context.RunAsync(parse, call => ReportAsync(call, () =>
        {
            var request = call.Session.Api.Api.V1.Reports.Trend.ToGetRequestInformation(c =>
            {
                c.QueryParameters.From = parse.GetValue(from).ToKiota();
                c.QueryParameters.To = parse.GetValue(to).ToKiota();
                c.QueryParameters.Interval = EnumText.ParseOrNull<TrendInterval>(parse.GetValue(interval));
                c.QueryParameters.GroupBy = EnumText.ParseOrNull<ReportGroupBy>(parse.GetValue(groupBy));
            });
            scope.Apply(request, parse);
            return request;
        }, TrendReport.CreateFromDiscriminatorValue, report =>
        {
            call.Printer.Output.WriteLine($"Trend from {Field(report, "from")} to {Field(report, "to")} by {Field(report, "interval")} ({Field(report, "timeZone")})");
            var rows = report.GetProperty("series").EnumerateArray()
                .SelectMany(series => series.GetProperty("points").EnumerateArray().Select(point =>
                {
                    var row = JsonNode.Parse(point.GetRawText())!.AsObject();
                    row["groupName"] = Field(series, "groupName");
                    return JsonSerializer.SerializeToElement(row);
                }))
                .ToList();
            call.Printer.Table(rows, Columns.TrendPoint.Table);
        }, ct)));
        return command;
    }

    /// <summary>A report of one answer: the service's CSV, the JSON, or <paramref name="table"/>.</summary>
    private static async Task ReportAsync<T>(Call call, Func<RequestInformation> build, ParsableFactory<T> factory, Action<JsonElement> table, CancellationToken ct)
        where T : IParsable
    {
        if (call.Printer.Format == OutputFormat.Csv)
        {
            await CsvAsync(call, build(), ct);
            return;
        }

        var report = await LastJsonAsync(call, build(), factory, ct);
        if (call.Printer.Format == OutputFormat.Json)
        {
            call.Printer.WriteJson(report);
        }
        else
        {
            table(report);
        }
    }

    /// <summary>A paged report (overdue, upcoming): one page or, with --all, every page's rows in one report.</summary>
    private static async Task PagedReportAsync<T>(
        Call call, PageOptions paging, ParsableFactory<T> factory, Func<int?, int?, RequestInformation> build,
        Func<JsonElement, string> heading, Columns columns, CancellationToken ct)
        where T : IParsable
    {
        if (call.Printer.Format == OutputFormat.Csv)
        {
            await CsvAsync(call, build(null, null), ct);
            return;
        }

        var (rows, first) = await paging.ReadAsync(call, (number, size) => call.Session.SendAsync(build(number, size), factory, ct));
        if (call.Printer.Format == OutputFormat.Json)
        {
            // With --all the pages are one report: every row, as page 1 of a page that holds them all.
            var whole = JsonNode.Parse(first.Answer.GetRawText())!.AsObject();
            whole["items"] = JsonSerializer.SerializeToNode(rows);
            if (paging.All(call.Parse))
            {
                whole["page"] = 1;
                whole["pageSize"] = rows.Count;
            }

            call.Printer.WriteJson(JsonSerializer.SerializeToElement(whole));
            return;
        }

        call.Printer.Output.WriteLine(heading(first.Answer));
        if (first.Answer.TryGetProperty("groups", out var groups) && groups.ValueKind == JsonValueKind.Array)
        {
            call.Printer.Table(groups.EnumerateArray().ToList(), Columns.Group.Table);
            call.Printer.Output.WriteLine();
        }

        call.Printer.Table(rows, columns.Table);
        PageOptions.Hint(call, rows.Count, first);
    }

    /// <summary>Sends the request, reads the answer into the generated model (which checks it), and returns the service's JSON.</summary>
    private static async Task<JsonElement> LastJsonAsync<T>(Call call, RequestInformation request, ParsableFactory<T> factory, CancellationToken ct)
        where T : IParsable
    {
        await call.Session.SendAsync(request, factory, ct);
        return call.Session.LastJson();
    }

    /// <summary>The service's CSV of the report, written out as it came (without its byte-order mark).</summary>
    private static async Task CsvAsync(Call call, RequestInformation request, CancellationToken ct)
    {
        request.QueryParameters["format"] = "csv";
        request.Headers.Remove("Accept");
        request.Headers.Add("Accept", "text/csv");
        await using var body = (await call.Session.SendForStreamAsync(request, ct))!;
        using var reader = new StreamReader(body, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        await call.Printer.Output.WriteAsync(await reader.ReadToEndAsync(ct));
    }

    private static string Field(JsonElement report, string name) => Printer.Text(report, name) is { Length: > 0 } text ? text : "-";
}
