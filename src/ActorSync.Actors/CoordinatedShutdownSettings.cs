namespace ActorSync.Actors;

/// <summary>
/// The phases of <see cref="CoordinatedShutdown"/> and how it runs (Akka.NET's <c>akka.coordinated-shutdown</c>).
/// Immutable; derive variants with <c>with</c> or <see cref="WithPhase"/>.
/// </summary>
public sealed record CoordinatedShutdownSettings
{
    /// <summary>Akka.NET's default phases and timeouts.</summary>
    public static CoordinatedShutdownSettings Default { get; } = new();

    /// <summary>The timeout of a phase that does not set its own.</summary>
    public TimeSpan DefaultPhaseTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Whether <see cref="ActorSystem.Terminate"/> runs the coordinated shutdown first.</summary>
    public bool RunByActorSystemTerminate { get; init; } = true;

    /// <summary>Whether the last phase terminates the actor system.</summary>
    public bool TerminateActorSystem { get; init; } = true;

    /// <summary>The phases by name.</summary>
    public IReadOnlyDictionary<string, Phase> Phases { get; init; } = DefaultPhases();

    /// <summary>A copy with <paramref name="name"/> added or replaced.</summary>
    /// <param name="name">The phase name.</param>
    /// <param name="phase">The phase.</param>
    public CoordinatedShutdownSettings WithPhase(string name, Phase phase)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(phase);
        var phases = new Dictionary<string, Phase>(Phases, StringComparer.Ordinal) { [name] = phase };
        return this with { Phases = phases };
    }

    private static Dictionary<string, Phase> DefaultPhases()
    {
        var tenSeconds = TimeSpan.FromSeconds(10);
        return new Dictionary<string, Phase>(StringComparer.Ordinal)
        {
            [CoordinatedShutdown.PhaseBeforeServiceUnbind] = new(),
            [CoordinatedShutdown.PhaseServiceUnbind] = new() { DependsOn = [CoordinatedShutdown.PhaseBeforeServiceUnbind] },
            [CoordinatedShutdown.PhaseServiceRequestsDone] = new() { DependsOn = [CoordinatedShutdown.PhaseServiceUnbind] },
            [CoordinatedShutdown.PhaseServiceStop] = new() { DependsOn = [CoordinatedShutdown.PhaseServiceRequestsDone] },
            [CoordinatedShutdown.PhaseBeforeClusterShutdown] = new() { DependsOn = [CoordinatedShutdown.PhaseServiceStop] },
            [CoordinatedShutdown.PhaseClusterShardingShutdownRegion] =
                new() { Timeout = tenSeconds, DependsOn = [CoordinatedShutdown.PhaseBeforeClusterShutdown] },
            [CoordinatedShutdown.PhaseClusterLeave] = new() { DependsOn = [CoordinatedShutdown.PhaseClusterShardingShutdownRegion] },
            [CoordinatedShutdown.PhaseClusterExiting] = new() { Timeout = tenSeconds, DependsOn = [CoordinatedShutdown.PhaseClusterLeave] },
            [CoordinatedShutdown.PhaseClusterExitingDone] = new() { DependsOn = [CoordinatedShutdown.PhaseClusterExiting] },
            [CoordinatedShutdown.PhaseClusterShutdown] = new() { DependsOn = [CoordinatedShutdown.PhaseClusterExitingDone] },
            [CoordinatedShutdown.PhaseBeforeActorSystemTerminate] = new() { DependsOn = [CoordinatedShutdown.PhaseClusterShutdown] },
            [CoordinatedShutdown.PhaseActorSystemTerminate] =
                new() { Timeout = tenSeconds, DependsOn = [CoordinatedShutdown.PhaseBeforeActorSystemTerminate] },
        };
    }
}

/// <summary>One phase of <see cref="CoordinatedShutdown"/>.</summary>
public sealed record Phase
{
    /// <summary>Phases that must finish before this one starts.</summary>
    public IReadOnlyList<string> DependsOn { get; init; } = [];

    /// <summary>How long the phase's tasks may take; <see langword="null"/> for the default.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Whether a failed or timed-out task is logged and shutdown continues (<see langword="true"/>) or stops there.</summary>
    public bool Recover { get; init; } = true;

    /// <summary>Whether the phase's tasks run at all.</summary>
    public bool Enabled { get; init; } = true;
}
