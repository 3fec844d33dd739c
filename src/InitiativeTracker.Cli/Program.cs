using InitiativeTracker.Cli;

return await TrackerCli.RunAsync(args, CliConsole.FromProcess());
