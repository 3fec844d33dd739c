using System.CommandLine;
using InitiativeTracker.Cli.Output;
using InitiativeTracker.Client.Models;

namespace InitiativeTracker.Cli.Commands;

/// <summary><c>tracker owners list|show|create</c>.</summary>
internal static class OwnerCommands
{
    public static Command Create(CommandContext context) => new("owners", "List, show and create owners (the people who deliver initiatives).")
    {
        List(context),
        Show(context),
        CreateOwner(context),
    };

    private static Command List(CommandContext context)
    {
        var query = Options.Text("--query", "Only owners whose name, email or unit contains this text.");
        query.Aliases.Add("-q");
        var sort = Options.Text("--sort", "Fields to sort by, comma-separated, '-' for descending (e.g. name).");
        var command = new Command("list", "List owners.") { query, sort };
        var paging = new PageOptions(command);
        command.SetAction((parse, ct) => context.RunAsync(parse, call =>
            paging.ListAsync(call, Columns.Owner, (number, size) =>
                call.Session.Api.Api.V1.Owners.GetAsync(c =>
                {
                    c.QueryParameters.Q = parse.GetValue(query);
                    c.QueryParameters.Sort = parse.GetValue(sort);
                    c.QueryParameters.Page = number;
                    c.QueryParameters.PageSize = size;
                }, ct))));
        return command;
    }

    private static Command Show(CommandContext context)
    {
        var id = Options.IdArgument("owner");
        var command = new Command("show", "Show one owner.") { id };
        command.SetAction((parse, ct) => context.RunAsync(parse, async call =>
        {
            await call.Session.Api.Api.V1.Owners[parse.GetValue(id)].GetAsync(cancellationToken: ct);
            call.Printer.Record(call.Session.LastJson(), Columns.Owner);
        }));
        return command;
    }

    private static Command CreateOwner(CommandContext context)
    {
        var name = Options.Text("--name", "Their name.", required: true);
        var email = Options.Text("--email", "Their email address.");
        var unit = Options.Text("--unit", "Their school or office.");
        var command = new Command("create", "Create an owner (admin keys only).") { name, email, unit };
        command.SetAction((parse, ct) => context.RunAsync(parse, async call =>
        {
            await call.Session.Api.Api.V1.Owners.PostAsync(
                new CreateOwnerCommand { Name = parse.GetValue(name), Email = parse.GetValue(email), Unit = parse.GetValue(unit) },
                cancellationToken: ct);
            call.Printer.Record(call.Session.LastJson(), Columns.Owner);
        }));
        return command;
    }
}
