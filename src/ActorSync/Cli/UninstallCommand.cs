using System.CommandLine;
using ActorSync.Capture;
using ActorSync.Configuration;
using ActorSync.Postgres;
using Npgsql;

namespace ActorSync.Cli;

/// <summary>
/// <c>actorsync uninstall [--config PATH] [--dry-run]</c>: removes everything ActorSync installed — capture triggers,
/// delta and stage tables, its functions, its state, the <c>actorsync</c> schema — from every configured database,
/// and nothing else. Your tables and their data stay. If something of yours depends on ActorSync's objects, that
/// database is left untouched and the error names the dependency.
/// </summary>
public static class UninstallCommand
{
    public static Command Create()
    {
        var config = CliConfig.CreateOption();
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the SQL and change nothing." };
        var command = new Command("uninstall", "Remove ActorSync's capture and state from every configured database.") { config, dryRun };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var configuration = await CliConfig.LoadAsync(parseResult, config, cancellationToken);
            if (configuration is null)
            {
                return ExitCodes.BadInput;
            }

            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            if (parseResult.GetValue(dryRun))
            {
                await output.WriteLineAsync(
                    ("-- Run in each configured database (" + string.Join(", ", configuration.Options.Databases.Keys) + "):\n" + CaptureScript.Uninstall)
                    .AsMemory(), cancellationToken);
                foreach (var (name, _) in configuration.Options.Databases.Where(d => d.Value.CaptureMode == DatabaseCaptureMode.Wal))
                {
                    await output.WriteLineAsync(
                        ($"-- WAL capture of database '{name}': its slot and publication.\n" + string.Join("\n", WalInstaller.UninstallStatements(name))).AsMemory(),
                        cancellationToken);
                }

                return ExitCodes.Ok;
            }

            var exitCode = ExitCodes.Ok;
            foreach (var (name, options) in configuration.Options.Databases)
            {
                var (connection, problem, failure) = await DatabaseProbe.OpenAsync(name, options, cancellationToken);
                if (connection is null)
                {
                    await error.WriteLineAsync(problem.AsMemory(), cancellationToken);
                    exitCode = Math.Max(exitCode, DatabaseProbe.IsBadInput(failure!) ? ExitCodes.BadInput : ExitCodes.Failure);
                    continue;
                }

                await using (connection)
                {
                    try
                    {
                        await using var installed = new NpgsqlCommand("SELECT to_regnamespace('actorsync') IS NOT NULL", connection);
                        var present = (bool)(await installed.ExecuteScalarAsync(cancellationToken))!;
                        // The slot and publication of WAL capture go too, whatever the database's capture mode is now: a slot
                        // left behind (a database switched back to triggers) would retain WAL without limit. First: a slot in
                        // use by a running ActorSync refuses to go, and then nothing else is removed either.
                        var wal = await WalInstaller.UninstallAsync(connection, name, cancellationToken);
                        await CaptureInstaller.UninstallAsync(connection, cancellationToken);
                        await output.WriteLineAsync(
                            $"database '{name}': {(present ? "removed ActorSync's triggers, tables, functions and schema" : wal ? "" : "nothing installed")}{(wal ? (present ? "; " : "") + $"dropped replication slot and publication {WalNames.Slot(name)}" : "")}".AsMemory(),
                            cancellationToken);
                    }
                    catch (PostgresException refused)
                    {
                        await error.WriteLineAsync(
                            $"database '{name}': nothing removed: {refused.MessageText}{(string.IsNullOrEmpty(refused.Detail) ? "" : $" ({refused.Detail})")}".AsMemory(),
                            cancellationToken);
                        exitCode = ExitCodes.Failure;
                    }
                }
            }

            return exitCode;
        });
        return command;
    }
}
