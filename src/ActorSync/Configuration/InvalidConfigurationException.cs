namespace ActorSync.Configuration;

/// <summary>
/// The configuration cannot be used: the file is missing or not valid HOCON, or settings are wrong. Carries every
/// problem found, not just the first; the message lists them one per line. Never holds a secret.
/// </summary>
public sealed class InvalidConfigurationException : Exception
{
    /// <summary>Creates the exception for <paramref name="problems"/> in the configuration <paramref name="path"/>.</summary>
    public InvalidConfigurationException(string path, IReadOnlyList<ConfigurationProblem> problems, Exception? innerException = null)
        : base(Describe(path, problems), innerException)
    {
        Path = path;
        Problems = problems;
    }

    /// <summary>The configuration file.</summary>
    public string Path { get; }

    /// <summary>Every problem found, in file order as far as it is known.</summary>
    public IReadOnlyList<ConfigurationProblem> Problems { get; }

    private static string Describe(string path, IReadOnlyList<ConfigurationProblem> problems) =>
        $"The configuration {path} has {problems.Count} problem{(problems.Count == 1 ? "" : "s")}:{Environment.NewLine}" +
        string.Join(Environment.NewLine, problems);
}
