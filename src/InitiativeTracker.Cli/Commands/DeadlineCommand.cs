using System.CommandLine;
using InitiativeTracker.Cli.Output;
using InitiativeTracker.Client.Models;

namespace InitiativeTracker.Cli.Commands;

/// <summary><c>tracker deadline ID --to DATE --reason TEXT</c>: move an open initiative's deadline, kept in its history.</summary>
internal static class DeadlineCommand
{
    public static Command Create(CommandContext context)
    {
        var id = Options.IdArgument("initiative");
        var to = Options.Date("--to", "The new deadline.", required: true);
        var reason = Options.Text("--reason", "Why it moves.", required: true);
        var ifVersion = Options.IfVersion();
        var command = new Command("deadline", "Move an open initiative's deadline, with a reason.") { id, to, reason, ifVersion };
        command.SetAction((parse, ct) => context.RunAsync(parse, async call =>
        {
            var move = new MoveDeadlineCommand { Deadline = parse.GetValue(to).ToKiota(), Reason = parse.GetValue(reason) };
            await ConditionalWrite.RunAsync(call, parse.GetValue(id), parse.GetValue(ifVersion),
                (item, ifMatch) => item.Deadline.PutAsync(move, c => c.Headers.Add("If-Match", ifMatch), ct),
                after => Equals(after.Deadline, move.Deadline),
                ct);
            call.Printer.Record(call.Session.LastJson(), Columns.Initiative);
        }));
        return command;
    }
}
