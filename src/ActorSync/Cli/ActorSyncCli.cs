using System.CommandLine;

namespace ActorSync.Cli;

/// <summary>The <c>actorsync</c> command line: one file per command, composed here.</summary>
public static class ActorSyncCli
{
    public static RootCommand CreateRootCommand()
    {
        var root = new RootCommand(
            "ActorSync keeps PostgreSQL tables in sync: it captures row changes on source tables and applies them, " +
            "transactionally and without loss, to target tables.");
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(CheckCommand.Create());
        root.Subcommands.Add(ConfigCommand.Create());
        root.Subcommands.Add(UninstallCommand.Create());
        root.Subcommands.Add(StatusCommand.Create());
        root.Subcommands.Add(HealthCommand.Create());
        root.Subcommands.Add(DemoCommand.Create());
        root.Subcommands.Add(DeadLettersCommand.Create());
        foreach (var command in SyncCommandCommands.Create())
        {
            root.Subcommands.Add(command);
        }
        return root;
    }

    /// <summary>Parses and runs; a parse error is bad input (exit code 2), printed on stderr.</summary>
    public static async Task<int> InvokeAsync(string[] args, TextWriter? output = null, TextWriter? error = null)
    {
        var root = CreateRootCommand();
        var parseResult = root.Parse(args);
        var configuration = new InvocationConfiguration
        {
            Output = output ?? Console.Out,
            Error = error ?? Console.Error,
            // Failures are reported below in one line, never as a stack trace.
            EnableDefaultExceptionHandler = false,
        };
        if (parseResult.CommandResult.Command.Name == DemoCommand.Name)
        {
            // The demo handles Ctrl+C itself: it catches up, compares and cleans up, longer than the 2 s granted here.
            configuration.ProcessTerminationTimeout = null;
        }

        if (parseResult.Errors.Count > 0 && parseResult.Action is not System.CommandLine.Help.HelpAction)
        {
            foreach (var parseError in parseResult.Errors)
            {
                await configuration.Error.WriteLineAsync(parseError.Message);
            }

            await configuration.Error.WriteLineAsync("Run 'actorsync --help' for usage.");
            return ExitCodes.BadInput;
        }

        try
        {
            return await parseResult.InvokeAsync(configuration);
        }
        catch (OperationCanceledException)
        {
            return ExitCodes.Failure;
        }
        catch (Exception failure) when (failure is not OutOfMemoryException)
        {
            await configuration.Error.WriteLineAsync($"actorsync: {Configuration.SecretMasker.MaskText(Actors.ErrorText.Describe(failure))}");
            return ExitCodes.Failure;
        }
    }
}
