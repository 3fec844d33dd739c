using System.CommandLine;
using System.Globalization;
using InitiativeTracker.Cli.Output;
using InitiativeTracker.Client.Models;

namespace InitiativeTracker.Cli.Commands;

/// <summary>
/// <c>tracker checkin ID --progress N --health H</c>: report progress. Safe in a cron job: the POST carries
/// an Idempotency-Key that all its retries share, so it is recorded once however often it is sent.
/// </summary>
internal static class CheckInCommand
{
    public static Command Create(CommandContext context)
    {
        var id = Options.IdArgument("initiative");
        var progress = Options.Number("--progress", "Progress in percent, 0 to 100.", required: true);
        var health = Options.OneOf<Health>("--health", "How it is going.", required: true);
        var status = Options.OneOf<InitiativeStatus>("--status", "A new status (default: the current one; done sets progress to 100).");
        var note = Options.Text("--note", "What happened (needed to reopen a done initiative).");
        var ifVersion = Options.Id("--if-version", "Record it only if the initiative is still at this version (412 otherwise).");
        var command = new Command("checkin", "Report an initiative's progress, health and status.") { id, progress, health, status, note, ifVersion };
        command.SetAction((parse, ct) => context.RunAsync(parse, async call =>
        {
            await call.Session.Api.Api.V1.Initiatives[parse.GetValue(id)].CheckIns.PostAsync(new CreateCheckInCommand
            {
                Progress = parse.GetValue(progress),
                Health = EnumText.ParseOrNull<Health>(parse.GetValue(health)),
                Status = EnumText.ParseOrNull<InitiativeStatus>(parse.GetValue(status)),
                Note = parse.GetValue(note),
            }, c =>
            {
                if (parse.GetValue(ifVersion) is { } version)
                {
                    c.Headers.Add("If-Match", "\"" + version.ToString(CultureInfo.InvariantCulture) + "\"");
                }
            }, ct);
            call.Printer.Record(call.Session.LastJson(), Columns.CheckIn);
        }));
        return command;
    }
}
