using ActorSync.Configuration;

namespace ActorSync.Actors;

/// <summary>Settings shared by the engine's actors.</summary>
public sealed record EngineSettings
{
    public BackoffSettings Backoff { get; init; } = new();

    /// <summary>How long a replicator waits for the listener to arm its wake-up (it polls if the answer is late).</summary>
    public TimeSpan ListenerAskTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a task waits for a connection lease before it fails.</summary>
    public TimeSpan LeaseTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How often a running sync looks for columns added to or dropped from its source.</summary>
    public TimeSpan SchemaCheckInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How often a WAL source database's replication slot is read for the WAL it retains (issue #20).</summary>
    public TimeSpan SlotMonitorInterval { get; init; } = SlotMonitorActor.DefaultInterval;

    /// <summary>Keep-alive interval of the listener's connections.</summary>
    public TimeSpan KeepAlive { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Whether disposing the engine throws when an actor left a message unhandled (the tests' harness sets it, so a
    /// handler that silently drops its message fails the test that sent it; the service only logs them).
    /// </summary>
    public bool FailOnUnhandledMessages { get; init; }

    /// <summary>The settings a configuration asks for.</summary>
    public static EngineSettings From(ActorSyncOptions options) => new() { Backoff = options.Defaults.Backoff };
}
