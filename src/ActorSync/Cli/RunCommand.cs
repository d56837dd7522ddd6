using System.CommandLine;
using ActorSync.Hosting;
using Microsoft.Extensions.Hosting;

namespace ActorSync.Cli;

/// <summary>
/// <c>actorsync run [--config PATH]</c>: keeps every configured target equal to its source until stopped (Ctrl+C,
/// SIGTERM). Before anything is installed it checks what <c>check</c> checks; any problem exits 2 and changes nothing.
/// </summary>
public static class RunCommand
{
    public static Command Create()
    {
        var config = CliConfig.CreateOption();
        var command = new Command("run", "Run the sync service.") { config };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var configuration = await CliConfig.LoadAsync(parseResult, config, cancellationToken);
            if (configuration is null)
            {
                return ExitCodes.BadInput;
            }

            var check = await CheckCommand.InspectAsync(configuration, cancellationToken);
            if (check.Problems.Count > 0)
            {
                var error = parseResult.InvocationConfiguration.Error;
                foreach (var problem in check.Problems)
                {
                    await error.WriteLineAsync(problem.AsMemory(), cancellationToken);
                }

                await error.WriteLineAsync("Not started: nothing was installed or changed.".AsMemory(), cancellationToken);
                return ExitCodes.BadInput;
            }

            using var host = ActorSyncHost.Build(configuration);
            await host.RunAsync(cancellationToken);
            return Environment.ExitCode;
        });
        return command;
    }
}
