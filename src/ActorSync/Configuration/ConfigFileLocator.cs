namespace ActorSync.Configuration;

/// <summary>Which configuration file a command uses, and what chose it.</summary>
/// <param name="Path">The file, as given (relative to the working directory when relative).</param>
/// <param name="ChosenBy">What chose it, for messages: <c>the command line</c>, <c>ACTORSYNC_CONFIG</c> or <c>default</c>.</param>
public sealed record ConfigFileLocation(string Path, string ChosenBy);

/// <summary>
/// Finds the configuration file: <c>--config PATH</c> when given, else the <c>ACTORSYNC_CONFIG</c> environment variable,
/// else <c>config/actorsync.conf</c>. <c>run</c>, <c>check</c> and <c>config check</c> share this rule.
/// </summary>
public static class ConfigFileLocator
{
    public const string EnvironmentVariable = "ACTORSYNC_CONFIG";

    public const string DefaultPath = "config/actorsync.conf";

    /// <summary>Applies the rule; <paramref name="environment"/> defaults to the process environment.</summary>
    public static ConfigFileLocation Locate(string? explicitPath, IReadOnlyDictionary<string, string?>? environment = null)
    {
        if (!string.IsNullOrWhiteSpace(explicitPath))
        {
            return new ConfigFileLocation(explicitPath, "the command line");
        }

        var fromEnvironment = environment is null
            ? Environment.GetEnvironmentVariable(EnvironmentVariable)
            : environment.GetValueOrDefault(EnvironmentVariable);
        return string.IsNullOrWhiteSpace(fromEnvironment)
            ? new ConfigFileLocation(DefaultPath, "default")
            : new ConfigFileLocation(fromEnvironment, EnvironmentVariable);
    }
}
