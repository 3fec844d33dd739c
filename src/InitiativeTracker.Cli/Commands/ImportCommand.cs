using System.CommandLine;
using System.Text.Json;
using InitiativeTracker.Cli.Output;
using InitiativeTracker.Client.Models;

namespace InitiativeTracker.Cli.Commands;

/// <summary>
/// <c>tracker import FILE</c> (also <c>tracker initiatives import</c>): the file goes to the service as it
/// is, CSV (<c>text/csv</c>) or a JSON array (<c>.json</c>), so the service checks every row and names
/// each row's errors (<c>rows[N].field</c>, N from 0 not counting the header) exactly as it reads them.
/// The generated method only sends JSON, so the request it builds is sent with the file as its body.
/// </summary>
internal static class ImportCommand
{
    public static Command Create(CommandContext context)
    {
        var file = new Argument<FileInfo>("file") { Description = "A CSV file (a header row of field names, one row per initiative) or a .json array." };
        var command = new Command("import", "Create many initiatives from a CSV or JSON file: all rows or none. Prints the created ids, or every row's errors.") { file };
        command.SetAction((parse, ct) => context.RunAsync(parse, async call =>
        {
            var path = parse.GetValue(file)!;
            if (!path.Exists)
            {
                throw new CliException(ExitCodes.BadInput, $"{path.FullName} does not exist.");
            }

            var body = new MemoryStream(await File.ReadAllBytesAsync(path.FullName, ct));
            var contentType = path.Extension.Equals(".json", StringComparison.OrdinalIgnoreCase) ? "application/json" : "text/csv";
            var request = call.Session.Api.Api.V1.Initiatives.Import.ToPostRequestInformation([]);
            request.Headers.Remove("Content-Type");
            request.SetStreamContent(body, contentType);
            var result = (await call.Session.SendAsync(request, ImportInitiativesResponse.CreateFromDiscriminatorValue, ct))!;
            var ids = result.Ids ?? [];
            if (call.Printer.Format == OutputFormat.Table)
            {
                call.Console.Error.WriteLine($"Created {ids.Count} initiatives.");
                foreach (var id in ids)
                {
                    call.Printer.Output.WriteLine(id);
                }
            }
            else if (call.Printer.Format == OutputFormat.Json)
            {
                call.Printer.WriteJson(call.Session.LastJson());
            }
            else
            {
                call.Printer.Rows(ids.Select(id => JsonSerializer.SerializeToElement(new { id })).ToList(), Columns.Imported);
            }
        }));
        return command;
    }
}
