using System.CommandLine;
using ActorSync.Configuration;

namespace ActorSync.Cli;

/// <summary>The <c>--config</c> option shared by <c>run</c>, <c>check</c> and <c>uninstall</c>, and loading it.</summary>
public static class CliConfig
{
    public static Option<string?> CreateOption() => new("--config", "-c")
    {
        Description = $"The configuration file (default: ${ConfigFileLocator.EnvironmentVariable}, else {ConfigFileLocator.DefaultPath}).",
    };

    /// <summary>Loads the configuration, or prints every problem on stderr and returns null (the caller exits 2).</summary>
    public static async Task<ActorSyncConfiguration?> LoadAsync(ParseResult parseResult, Option<string?> option, CancellationToken cancellationToken)
    {
        var location = ConfigFileLocator.Locate(parseResult.GetValue(option));
        try
        {
            return ActorSyncConfiguration.Load(location.Path);
        }
        catch (InvalidConfigurationException invalid)
        {
            var error = parseResult.InvocationConfiguration.Error;
            foreach (var problem in invalid.Problems)
            {
                await error.WriteLineAsync(SecretMasker.MaskText(problem.ToString()).AsMemory(), cancellationToken);
            }

            if (location.ChosenBy != "the command line")
            {
                await error.WriteLineAsync($"(configuration file chosen by {location.ChosenBy})".AsMemory(), cancellationToken);
            }

            return null;
        }
    }
}
