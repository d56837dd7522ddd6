using System.CommandLine;
using ActorSync.Capture;
using ActorSync.Hosting;
using Microsoft.Extensions.DependencyInjection;
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

            // The host is built (nothing started, nothing connected) while the check waits on the databases: a run
            // reaches its first batch or copy about a fifth of a second sooner.
            var building = Task.Run(() => ActorSyncHost.Build(configuration), cancellationToken);
            var check = await CheckCommand.InspectAsync(configuration, cancellationToken);
            foreach (var warning in check.Warnings)
            {
                await parseResult.InvocationConfiguration.Error.WriteLineAsync($"warning: {warning}".AsMemory(), cancellationToken);
            }

            var problems = check.Problems.Count > 0 ? check.Problems : await WalInstaller.LevelProblemsAsync(configuration, cancellationToken);
            if (problems.Count > 0)
            {
                try
                {
                    (await building).Dispose();
                }
                catch (Exception) when (!cancellationToken.IsCancellationRequested)
                {
                    // The problems below are what the user needs; a host that could not be built is not one more.
                }

                var error = parseResult.InvocationConfiguration.Error;
                foreach (var problem in problems)
                {
                    await error.WriteLineAsync(problem.AsMemory(), cancellationToken);
                }

                await error.WriteLineAsync("Not started: nothing was installed or changed.".AsMemory(), cancellationToken);
                return ExitCodes.BadInput;
            }

            // WAL capture (issue #20): the replica identities the syncs opted into, before anything else is installed.
            if (check.ReplicaIdentityStatements.Count > 0
                && await WalPreflight.ApplyReplicaIdentitiesAsync(
                    configuration, check.ReplicaIdentityStatements,
                    line => parseResult.InvocationConfiguration.Output.WriteLineAsync(line.AsMemory(), cancellationToken), cancellationToken) is { } failed)
            {
                (await building).Dispose();
                await parseResult.InvocationConfiguration.Error.WriteLineAsync($"{failed}\nNot started.".AsMemory(), cancellationToken);
                return ExitCodes.Failure;
            }

            // A database switched back from capture-mode = wal to triggers: its leftover slot is drained, then dropped (issue #20).
            await WalDrain.RunAsync(configuration.Options.Databases, check.Syncs.Select(s => s.Plan).ToArray(), cancellationToken);

            using var host = await building;

            // Resolved before the run: RunAsync disposes the host's services when it ends.
            var exit = host.Services.GetRequiredService<ServiceExit>();
            await host.RunAsync(cancellationToken);
            return exit.ExitCode;
        });
        return command;
    }
}
