using System.CommandLine;
using InitiativeTracker.Cli.Output;
using InitiativeTracker.Client.Models;

namespace InitiativeTracker.Cli.Commands;

/// <summary><c>tracker initiatives list|show|create|update|import</c>.</summary>
internal static class InitiativeCommands
{
    public static Command Create(CommandContext context) => new("initiatives", "List, show, create, update and import initiatives.")
    {
        List(context),
        Show(context),
        CreateInitiative(context),
        Update(context),
        ImportCommand.Create(context),
    };

    private static Command List(CommandContext context)
    {
        var owner = Options.Id("--owner", "Only this owner's initiatives (an owner id).");
        var direction = Options.Id("--direction", "Only under this direction (a direction id).");
        var taskForce = Options.Id("--task-force", "Only this task force's initiatives (a task force id).");
        var status = Options.ManyOf<InitiativeStatus>("--status", "Only initiatives with this status.");
        var health = Options.ManyOf<Health>("--health", "Only initiatives with this health.");
        var overdue = new Option<bool?>("--overdue") { Description = "Only overdue initiatives (--overdue false: only those that are not)." };
        var dueBefore = Options.Date("--due-before", "Only with a deadline before this date.");
        var dueAfter = Options.Date("--due-after", "Only with a deadline after this date.");
        var query = Options.Text("--query", "Only those whose title or description contains this text.");
        query.Aliases.Add("-q");
        var sort = Options.Text("--sort", "Fields to sort by, comma-separated, '-' for descending (e.g. deadline,-updatedAt).");
        var command = new Command("list", "List initiatives: filter, sort, page.")
        {
            owner, direction, taskForce, status, health, overdue, dueBefore, dueAfter, query, sort,
        };
        var paging = new PageOptions(command);
        command.SetAction((parse, ct) => context.RunAsync(parse, call =>
            paging.ListAsync(call, Columns.Initiative, (number, size) =>
                call.Session.Api.Api.V1.Initiatives.GetAsync(c =>
                {
                    var q = c.QueryParameters;
                    q.OwnerId = parse.GetValue(owner);
                    q.DirectionId = parse.GetValue(direction);
                    q.TaskForceId = parse.GetValue(taskForce);
                    q.Status = parse.GetValue(status) is { Length: > 0 } s ? s.Select(EnumText.Parse<InitiativeStatus>).ToArray() : null;
                    q.Health = parse.GetValue(health) is { Length: > 0 } h ? h.Select(EnumText.Parse<Health>).ToArray() : null;
                    q.Overdue = parse.GetValue(overdue);
                    q.DueBefore = parse.GetValue(dueBefore).ToKiota();
                    q.DueAfter = parse.GetValue(dueAfter).ToKiota();
                    q.Q = parse.GetValue(query);
                    q.Sort = parse.GetValue(sort);
                    q.Page = number;
                    q.PageSize = size;
                }, ct))));
        return command;
    }

    private static Command Show(CommandContext context)
    {
        var id = Options.IdArgument("initiative");
        var command = new Command("show", "Show one initiative with its derived fields.") { id };
        command.SetAction((parse, ct) => context.RunAsync(parse, async call =>
        {
            await call.Session.Api.Api.V1.Initiatives[parse.GetValue(id)].GetAsync(cancellationToken: ct);
            call.Printer.Record(call.Session.LastJson(), Columns.Initiative);
        }));
        return command;
    }

    private static Command CreateInitiative(CommandContext context)
    {
        var direction = Options.Id("--direction", "The direction it serves (a direction id).");
        direction.Required = true;
        var owner = Options.Id("--owner", "Who delivers it (an owner id).");
        owner.Required = true;
        var taskForce = Options.Id("--task-force", "The task force it belongs to (a task force id).");
        var title = Options.Text("--title", "Its title.", required: true);
        var description = Options.Text("--description", "What it is.");
        var start = Options.Date("--start", "When work starts.");
        var deadline = Options.Date("--deadline", "When it is due.", required: true);
        var command = new Command("create", "Create an initiative (planned, progress 0, on track).")
        {
            direction, owner, taskForce, title, description, start, deadline,
        };
        command.SetAction((parse, ct) => context.RunAsync(parse, async call =>
        {
            await call.Session.Api.Api.V1.Initiatives.PostAsync(new CreateInitiativeCommand
            {
                DirectionId = parse.GetValue(direction),
                OwnerId = parse.GetValue(owner),
                TaskForceId = parse.GetValue(taskForce),
                Title = parse.GetValue(title),
                Description = parse.GetValue(description),
                StartDate = parse.GetValue(start).ToKiota(),
                Deadline = parse.GetValue(deadline).ToKiota(),
            }, cancellationToken: ct);
            call.Printer.Record(call.Session.LastJson(), Columns.Initiative);
        }));
        return command;
    }

    private static Command Update(CommandContext context)
    {
        var id = Options.IdArgument("initiative");
        var title = Options.Text("--title", "A new title.");
        var description = Options.Text("--description", "A new description.");
        var direction = Options.Id("--direction", "Move it under another direction (a direction id).");
        var owner = Options.Id("--owner", "Give it another owner (an owner id).");
        var taskForce = Options.Id("--task-force", "Move it to another task force (a task force id).");
        var start = Options.Date("--start", "A new start date.");
        var ifVersion = Options.IfVersion();
        var command = new Command("update", "Change some of an initiative's descriptive fields (the others stay); status, progress and health change with 'tracker checkin', the deadline with 'tracker deadline'.")
        {
            id, title, description, direction, owner, taskForce, start, ifVersion,
        };
        command.SetAction((parse, ct) => context.RunAsync(parse, async call =>
        {
            var patch = new UpdateInitiativeCommandMergePatch
            {
                Title = parse.GetValue(title),
                Description = parse.GetValue(description),
                DirectionId = parse.GetValue(direction),
                OwnerId = parse.GetValue(owner),
                TaskForceId = parse.GetValue(taskForce),
                StartDate = parse.GetValue(start).ToKiota(),
            };
            if (patch is { Title: null, Description: null, DirectionId: null, OwnerId: null, TaskForceId: null, StartDate: null })
            {
                throw new CliException(ExitCodes.BadInput, "Nothing to change: name at least one of --title, --description, --direction, --owner, --task-force, --start.");
            }

            await ConditionalWrite.RunAsync(call, parse.GetValue(id), parse.GetValue(ifVersion),
                (item, ifMatch) => item.PatchAsync(patch, c => c.Headers.Add("If-Match", ifMatch), ct),
                after => (patch.Title is null || after.Title == patch.Title)
                    && (patch.Description is null || after.Description == patch.Description)
                    && (patch.DirectionId is null || after.DirectionId == patch.DirectionId)
                    && (patch.OwnerId is null || after.OwnerId == patch.OwnerId)
                    && (patch.TaskForceId is null || after.TaskForceId == patch.TaskForceId)
                    && (patch.StartDate is null || Equals(after.StartDate, patch.StartDate)),
                ct);
            call.Printer.Record(call.Session.LastJson(), Columns.Initiative);
        }));
        return command;
    }
}
