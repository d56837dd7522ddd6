using System.CommandLine;
using ActorSync.Configuration;
using ActorSync.Hocon;
using Npgsql;

namespace ActorSync.Cli;

/// <summary>
/// <c>actorsync config render [PATH] [--show-secrets]</c>: the fully resolved document as JSON, for any HOCON file.
/// <c>actorsync config check [PATH]</c>: validates an ActorSync configuration without contacting a database.
/// Without PATH both use <c>ACTORSYNC_CONFIG</c>, else <c>config/actorsync.conf</c>. Bad input prints the problems on
/// stderr and exits 2; secrets are shown as <c>***</c> unless <c>--show-secrets</c> is given to render.
/// </summary>
public static class ConfigCommand
{
    public static Command Create()
    {
        var command = new Command("config", "Inspect configuration files.");
        command.Subcommands.Add(CreateRender());
        command.Subcommands.Add(CreateCheck());
        return command;
    }

    private static Argument<string?> PathArgument() => new("path")
    {
        Description = $"The configuration file (default: ${ConfigFileLocator.EnvironmentVariable}, else {ConfigFileLocator.DefaultPath}).",
        Arity = ArgumentArity.ZeroOrOne,
    };

    private static Command CreateRender()
    {
        var path = PathArgument();
        var showSecrets = new Option<bool>("--show-secrets") { Description = "Print passwords and tokens instead of ***." };
        var command = new Command("render", "Print the fully resolved document (includes read, substitutions resolved) as JSON.") { path, showSecrets };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            var location = ConfigFileLocator.Locate(parseResult.GetValue(path));
            try
            {
                var value = HoconParser.ParseFile(location.Path).Resolve();
                var shown = parseResult.GetValue(showSecrets) ? value : SecretMasker.MaskValue(value);
                await output.WriteLineAsync(shown.ToJson(indented: true).AsMemory(), cancellationToken);
                return ExitCodes.Ok;
            }
            catch (FileNotFoundException)
            {
                await error.WriteLineAsync($"{location.Path}: the file does not exist (chosen by {location.ChosenBy})".AsMemory(), cancellationToken);
            }
            catch (HoconException exception)
            {
                await error.WriteLineAsync(SecretMasker.MaskText(exception.Message).AsMemory(), cancellationToken);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                await error.WriteLineAsync($"{location.Path}: cannot read the file: {exception.Message}".AsMemory(), cancellationToken);
            }

            return ExitCodes.BadInput;
        });
        return command;
    }

    private static Command CreateCheck()
    {
        var path = PathArgument();
        var command = new Command("check", "Validate an ActorSync configuration (statically: no database is contacted) and summarize it.") { path };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            var location = ConfigFileLocator.Locate(parseResult.GetValue(path));
            ActorSyncConfiguration configuration;
            try
            {
                configuration = ActorSyncConfiguration.Load(location.Path);
            }
            catch (InvalidConfigurationException exception)
            {
                foreach (var problem in exception.Problems)
                {
                    await error.WriteLineAsync(problem.ToString().AsMemory(), cancellationToken);
                }

                var count = exception.Problems.Count;
                await error.WriteLineAsync($"{location.Path}: {count} problem{(count == 1 ? "" : "s")} (configuration chosen by {location.ChosenBy})".AsMemory(), cancellationToken);
                return ExitCodes.BadInput;
            }

            await output.WriteAsync(Summarize(configuration).AsMemory(), cancellationToken);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>A short summary without secrets: databases by host and name, syncs by source and target.</summary>
    internal static string Summarize(ActorSyncConfiguration configuration)
    {
        var options = configuration.Options;
        var text = new System.Text.StringBuilder();
        text.AppendLine($"{configuration.Path}: OK");
        text.AppendLine($"databases ({options.Databases.Count}):");
        foreach (var (name, database) in options.Databases)
        {
            var builder = new NpgsqlConnectionStringBuilder(database.ConnectionString);
            text.AppendLine($"  {name}: {builder.Username ?? "(default user)"}@{builder.Host ?? "localhost"}:{builder.Port}/{builder.Database ?? "(default database)"}, up to {database.MaxConnections} connections");
        }

        text.AppendLine($"syncs ({configuration.Syncs.Count}):");
        for (var i = 0; i < configuration.Syncs.Count; i++)
        {
            var sync = configuration.Syncs[i];
            var enabled = options.Syncs[i].Enabled ? "" : " (disabled)";
            text.AppendLine($"  {sync.Name}: {sync.Source} -> {sync.Target}, batch {sync.BatchSize}, poll every {ConfigurationContext.Format(sync.PollInterval)}, " +
                $"batch delay {ConfigurationContext.Format(sync.BatchDelay)}, {sync.CaptureMode.ToString().ToLowerInvariant()} capture{enabled}");
        }

        text.AppendLine(options.Admin.Enabled
            ? $"admin: {options.Admin.Url}{(options.Admin.Token is null ? " (no token)" : " (token set)")}"
            : "admin: disabled");
        return text.ToString();
    }
}
