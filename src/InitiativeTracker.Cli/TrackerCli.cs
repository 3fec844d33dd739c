using System.CommandLine;
using InitiativeTracker.Cli.Commands;

namespace InitiativeTracker.Cli;

/// <summary>The <c>tracker</c> command: its command tree, and one run of it.</summary>
internal static class TrackerCli
{
    public static RootCommand Build(CliConsole console)
    {
        var context = new CommandContext(console);
        var root = new RootCommand("tracker: the InitiativeTracker API from scripts. Writes are retried safely; exit codes: 0 ok, 1 bad input, 2 key refused, 3 not found, 4 conflict, 5 service or network.")
        {
            context.Output,
            context.Retries,
            LoginCommand.Create(context),
            InitiativeCommands.Create(context),
            CheckInCommand.Create(context),
            DeadlineCommand.Create(context),
            ImportCommand.Create(context),
            ReportCommands.Create(context),
            OwnerCommands.Create(context),
        };
        return root;
    }

    public static Task<int> RunAsync(string[] args, CliConsole console, CancellationToken cancellationToken = default) =>
        Build(console).Parse(args).InvokeAsync(new InvocationConfiguration { Output = console.Out, Error = console.Error }, cancellationToken);
}
