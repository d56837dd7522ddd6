namespace ActorSync.Actors;

/// <summary>A sync's work failed; its replicator is restarted with backoff. The message names the sync.</summary>
public sealed class SyncFailedException(string sync, Exception inner)
    : Exception($"sync '{sync}': {ErrorText.Describe(inner)}", inner)
{
    public string Sync { get; } = sync;
}

/// <summary>A sync cannot be planned: its tables, key or columns do not fit. Lists every problem.</summary>
public sealed class SyncConfigurationException(string sync, IReadOnlyList<string> problems)
    : Exception(string.Join(Environment.NewLine, problems))
{
    public string Sync { get; } = sync;

    public IReadOnlyList<string> Problems { get; } = problems;
}

/// <summary>The source table's columns changed and the sync is configured to stop (or cannot follow the change).</summary>
public sealed class SchemaChangedException(string message) : Exception(message);
