using ActorSync.Actors.Internal;

namespace ActorSync.Actors;

/// <summary>
/// Stops a system in ordered phases. Tasks are added to named phases; <see cref="Run"/> executes the phases in
/// dependency order, the tasks of one phase in parallel, each phase bounded by its timeout. The last phase terminates
/// the actor system. It runs once, however often it is started.
/// </summary>
public sealed partial class CoordinatedShutdown
{
    /// <summary>The first phase.</summary>
    public const string PhaseBeforeServiceUnbind = "before-service-unbind";

    /// <summary>Stop accepting new incoming requests.</summary>
    public const string PhaseServiceUnbind = "service-unbind";

    /// <summary>Wait for requests in progress to finish.</summary>
    public const string PhaseServiceRequestsDone = "service-requests-done";

    /// <summary>Final shutdown of services.</summary>
    public const string PhaseServiceStop = "service-stop";

    /// <summary>Before cluster shutdown (kept for Akka.NET's phase order; the kernel has no cluster).</summary>
    public const string PhaseBeforeClusterShutdown = "before-cluster-shutdown";

    /// <summary>Cluster sharding shutdown (kept for Akka.NET's phase order).</summary>
    public const string PhaseClusterShardingShutdownRegion = "cluster-sharding-shutdown-region";

    /// <summary>Cluster leave (kept for Akka.NET's phase order).</summary>
    public const string PhaseClusterLeave = "cluster-leave";

    /// <summary>Cluster exiting (kept for Akka.NET's phase order).</summary>
    public const string PhaseClusterExiting = "cluster-exiting";

    /// <summary>Cluster exiting done (kept for Akka.NET's phase order).</summary>
    public const string PhaseClusterExitingDone = "cluster-exiting-done";

    /// <summary>Cluster shutdown (kept for Akka.NET's phase order).</summary>
    public const string PhaseClusterShutdown = "cluster-shutdown";

    /// <summary>The last phase before the actors are stopped.</summary>
    public const string PhaseBeforeActorSystemTerminate = "before-actor-system-terminate";

    /// <summary>The actor system is terminated in this phase.</summary>
    public const string PhaseActorSystemTerminate = "actor-system-terminate";

    private readonly object _lock = new();
    private readonly ActorSystem _system;
    private readonly CoordinatedShutdownSettings _settings;
    private readonly Dictionary<string, List<(string Name, Func<Task<Done>> Task)>> _tasks = new(StringComparer.Ordinal);
    private readonly HashSet<string> _startedPhases = new(StringComparer.Ordinal);
    private Task<Done>? _run;

    private CoordinatedShutdown(ActorSystem system, CoordinatedShutdownSettings settings)
    {
        _system = system;
        _settings = settings;
        OrderedPhases = TopologicalSort(settings.Phases);
        if (settings.TerminateActorSystem && settings.Phases.ContainsKey(PhaseActorSystemTerminate))
        {
            AddTask(PhaseActorSystemTerminate, "terminate-system", async () =>
            {
                system.FinalTerminate();
                await system.WhenTerminated.ConfigureAwait(false);
                return Done.Instance;
            });
        }
    }

    /// <summary>The phase names in the order they run.</summary>
    public IReadOnlyList<string> OrderedPhases { get; }

    /// <summary>Why the shutdown was started; <see langword="null"/> while it has not been.</summary>
    public Reason? ShutdownReason { get; private set; }

    /// <summary>The coordinated shutdown of <paramref name="system"/> (one per system).</summary>
    /// <param name="system">The system.</param>
    public static CoordinatedShutdown Get(ActorSystem system)
    {
        ArgumentNullException.ThrowIfNull(system);
        return system.GetOrAddExtension(static s => new CoordinatedShutdown(s, s.Settings.CoordinatedShutdown));
    }

    /// <summary>
    /// Orders phases so that each comes after the phases it depends on.
    /// </summary>
    /// <param name="phases">The phases by name.</param>
    /// <exception cref="ArgumentException">There is a cycle, or a phase depends on a phase that does not exist.</exception>
    public static IReadOnlyList<string> TopologicalSort(IReadOnlyDictionary<string, Phase> phases)
    {
        ArgumentNullException.ThrowIfNull(phases);
        var result = new List<string>();
        var done = new HashSet<string>(StringComparer.Ordinal);
        var inProgress = new List<string>();

        void Visit(string name)
        {
            if (done.Contains(name))
            {
                return;
            }

            if (inProgress.Contains(name))
            {
                throw new ArgumentException(
                    $"Cycle detected in coordinated shutdown phases: {string.Join(" -> ", inProgress)} -> {name}.", nameof(phases));
            }

            if (!phases.TryGetValue(name, out var phase))
            {
                throw new ArgumentException($"Coordinated shutdown phase [{name}] is referenced by depends-on but not defined.", nameof(phases));
            }

            inProgress.Add(name);
            foreach (var dependency in phase.DependsOn)
            {
                Visit(dependency);
            }

            inProgress.RemoveAt(inProgress.Count - 1);
            done.Add(name);
            result.Add(name);
        }

        foreach (var name in phases.Keys.Order(StringComparer.Ordinal))
        {
            Visit(name);
        }

        return result;
    }

    /// <summary>
    /// Adds a task to a phase. Tasks of one phase run in parallel. A task may be added to a later phase while earlier
    /// ones run; one added to a phase that has already started is ignored (and logged).
    /// </summary>
    /// <param name="phase">The phase name.</param>
    /// <param name="taskName">A name for logs.</param>
    /// <param name="task">The task.</param>
    /// <exception cref="ArgumentException">The phase does not exist.</exception>
    public void AddTask(string phase, string taskName, Func<Task<Done>> task)
    {
        ArgumentException.ThrowIfNullOrEmpty(phase);
        ArgumentException.ThrowIfNullOrEmpty(taskName);
        ArgumentNullException.ThrowIfNull(task);
        if (!_settings.Phases.ContainsKey(phase))
        {
            throw new ArgumentException($"Unknown coordinated shutdown phase [{phase}]; known phases: {string.Join(", ", OrderedPhases)}.", nameof(phase));
        }

        lock (_lock)
        {
            if (_startedPhases.Contains(phase))
            {
                LogMessages.CoordinatedShutdownTaskTooLate(_system.KernelLogger, taskName, phase);
                return;
            }

            if (!_tasks.TryGetValue(phase, out var list))
            {
                _tasks[phase] = list = [];
            }

            list.Add((taskName, task));
        }
    }

    /// <summary>The timeout of a phase.</summary>
    /// <param name="phase">The phase name.</param>
    /// <exception cref="ArgumentException">The phase does not exist.</exception>
    public TimeSpan Timeout(string phase) =>
        _settings.Phases.TryGetValue(phase, out var definition)
            ? definition.Timeout ?? _settings.DefaultPhaseTimeout
            : throw new ArgumentException($"Unknown coordinated shutdown phase [{phase}].", nameof(phase));

    /// <summary>The sum of all phase timeouts.</summary>
    public TimeSpan TotalTimeout() => OrderedPhases.Aggregate(TimeSpan.Zero, (sum, phase) => sum + Timeout(phase));

    /// <summary>
    /// Runs the shutdown, once: later calls return the same task. Phases before <paramref name="fromPhase"/> are skipped.
    /// </summary>
    /// <param name="reason">Why.</param>
    /// <param name="fromPhase">The phase to start from; all phases when <see langword="null"/>.</param>
    /// <returns>Completes when the last phase has finished (or a non-recovering phase failed).</returns>
    public Task<Done> Run(Reason reason, string? fromPhase = null)
    {
        ArgumentNullException.ThrowIfNull(reason);
        lock (_lock)
        {
            if (_run is not null)
            {
                return _run;
            }

            ShutdownReason = reason;
            LogMessages.CoordinatedShutdownStarted(_system.KernelLogger, _system.Name, reason.ToString() ?? reason.GetType().Name);
            _run = RunPhases(fromPhase);
            return _run;
        }
    }
}
