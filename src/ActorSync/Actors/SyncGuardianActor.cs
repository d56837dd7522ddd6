using ActorSync.Configuration;
using ActorSync.Logging;
using ActorSync.Metrics;
using Akka.Actor;
using Microsoft.Extensions.Logging;

namespace ActorSync.Actors;

/// <summary>
/// The root of ActorSync's actors (DESIGN.md, step 5): creates the pool supervisor, one listener per source database
/// and one replicator per sync, and supervises them one-for-one. A failed child is restarted at once and waits out
/// its exponential backoff with jitter itself (see <see cref="RestartHistory"/>), so a failing sync never stops the
/// others and stays visible as <c>failing</c> while it keeps retrying at the backoff ceiling.
/// </summary>
public sealed class SyncGuardianActor : ReceiveActor
{
    private readonly EngineState _state;
    private readonly ILogger _logger;
    private readonly Dictionary<string, IActorRef> _listeners = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IActorRef> _replicators = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IActorRef> _slots = new(StringComparer.Ordinal);
    private IActorRef _pools = ActorRefs.Nobody;

    public SyncGuardianActor(EngineState state)
    {
        _state = state;
        _logger = state.LoggerFactory.CreateLogger<SyncGuardianActor>();
        Receive<EngineActorsRequested>(_ => Sender.Tell(new EngineActors(_pools, _listeners, _replicators) { Slots = _slots }));
    }

    protected override void PreStart()
    {
        try
        {
            StartChildren();
        }
        catch (Exception error)
        {
            // Without its children there is no engine, and Akka's user guardian would stop this actor with a stack trace
            // of its own. Say why in one line and stop: EngineWatchActor then shuts the actor system down (exit code 1).
            _state.StartFailure = error;
            LogMessages.EngineStartFailed(_logger, ErrorText.Describe(error));
            Context.Stop(Self);
        }
    }

    private void StartChildren()
    {
        var options = _state.Options;
        var settings = _state.Settings;
        var loggerFactory = _state.LoggerFactory;
        var metrics = _state.Metrics;
        _pools = Context.ActorOf(Props.Create(() => new PoolSupervisorActor(options.Databases, loggerFactory, metrics)), "pools");
        var leaser = new PoolClient(_pools, settings.LeaseTimeout);
        var directory = new SyncDirectory();
        foreach (var database in _state.Syncs.Select(s => s.Source.Database).Distinct(StringComparer.Ordinal))
        {
            var connectionString = options.Databases[database].ConnectionString;
            var health = _state.ListenerHealth(database);
            var props = options.Databases[database].CaptureMode == DatabaseCaptureMode.Wal
                ? WalListenerProps(database, connectionString, directory, health)
                : Props.Create(() => new ListenerActor(database, connectionString, directory, health, settings.Backoff, settings.KeepAlive, loggerFactory, metrics));
            _listeners[database] = Context.ActorOf(props, "listener-" + Uri.EscapeDataString(database));
        }

        // Consistent groups (issue #19): formed when the first replicator asks, one applier per group.
        var syncs = _state.Syncs;
        var groups = Context.ActorOf(Props.Create(() => new GroupsActor(syncs, options, leaser, loggerFactory)), "groups");
        foreach (var sync in _state.Syncs)
        {
            var listener = _listeners[sync.Source.Database];
            var health = _state.SyncHealth(sync.Name);
            _replicators[sync.Name] = Context.ActorOf(
                Props.Create(() => new TableReplicatorActor(sync, leaser, listener, health, settings, loggerFactory, metrics, groups)),
                "sync-" + sync.SqlName);
        }

        // WAL capture (issue #20): a monitor of the WAL each source database's replication slot retains.
        foreach (var database in _listeners.Keys.Where(d => options.Databases[d].CaptureMode == DatabaseCaptureMode.Wal))
        {
            var warning = options.Databases[database].SlotRetentionWarning;
            _slots[database] = Context.ActorOf(
                Props.Create(() => new SlotMonitorActor(database, warning, leaser, metrics, loggerFactory, settings.SlotMonitorInterval)),
                "slot-" + Uri.EscapeDataString(database));
        }

        directory.Publish(_state.Syncs.Select(s => (s.SqlName, s.Source.Database, _replicators[s.Name])));
    }

    /// <summary>The listener of a WAL source database: it owns the replication connection (issue #20).</summary>
    private Props WalListenerProps(string database, string connectionString, SyncDirectory directory, ListenerHealth health)
    {
        var syncs = _state.Syncs.Where(s => s.Source.Database == database).ToArray();
        var backlogs = syncs.ToDictionary(s => s.SqlName, s => _state.SyncHealth(s.Name).WalBacklog, StringComparer.Ordinal);
        var (backoff, loggerFactory, metrics) = (_state.Settings.Backoff, _state.LoggerFactory, _state.Metrics);
        return Props.Create(() => new WalListenerActor(database, connectionString, syncs, backlogs, directory, health, backoff, loggerFactory, metrics));
    }

    // Unlimited restarts; the failed child waits out its own backoff. Akka's own failure logging is off: it would
    // print a stack trace per restart, and a sync failing for hours restarts thousands of times; one line is enough.
    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(
        error =>
        {
            LogMessages.ActorRestarting(_logger, Sender.Path.Name, ErrorText.Describe(error));
            return Directive.Restart;
        },
        loggingEnabled: false);
}

/// <summary>Asks the guardian for its children.</summary>
public sealed record EngineActorsRequested
{
    public static readonly EngineActorsRequested Instance = new();
}

/// <summary>The guardian's children: the pool supervisor, listeners by source database, replicators by sync.</summary>
public sealed record EngineActors(IActorRef Pools, IReadOnlyDictionary<string, IActorRef> Listeners, IReadOnlyDictionary<string, IActorRef> Replicators)
{
    /// <summary>The slot monitors by WAL source database (issue #20); none for trigger capture.</summary>
    public IReadOnlyDictionary<string, IActorRef> Slots { get; init; } = new Dictionary<string, IActorRef>();
}

/// <summary>
/// What the engine knows beyond any one actor's life: the configuration, and each listener's and sync's health, so
/// counters and failure histories survive restarts (of the actors, and of the guardian itself).
/// </summary>
public sealed class EngineState(
    ActorSyncOptions options, IReadOnlyList<SyncDefinition> syncs, EngineSettings settings, ILoggerFactory loggerFactory,
    ActorSyncMetrics? metrics = null)
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, ListenerHealth> _listeners = new(StringComparer.Ordinal);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, SyncHealth> _syncs = new(StringComparer.Ordinal);

    public ActorSyncOptions Options { get; } = options;

    /// <summary>The enabled syncs: a disabled one gets no replicator, no capture and no status.</summary>
    public IReadOnlyList<SyncDefinition> Syncs { get; } = syncs.Where(s => s.Enabled).ToArray();

    public EngineSettings Settings { get; } = settings;

    public ILoggerFactory LoggerFactory { get; } = loggerFactory;

    public ActorSyncMetrics Metrics { get; } = metrics ?? new ActorSyncMetrics();

    public ListenerHealth ListenerHealth(string database) => _listeners.GetOrAdd(database, _ => new ListenerHealth());

    public SyncHealth SyncHealth(string sync)
    {
        var health = _syncs.GetOrAdd(sync, name => new SyncHealth(WalBacklogKeys(name)));
        Metrics.TrackLag(sync, health.Lag);
        return health;
    }

    /// <summary>The <c>wal-backlog-keys</c> of the sync's source database (its default when the sync is not known).</summary>
    private int WalBacklogKeys(string sync) =>
        Syncs.FirstOrDefault(s => string.Equals(s.Name, sync, StringComparison.Ordinal)) is { } definition
        && Options.Databases.TryGetValue(definition.Source.Database, out var database)
            ? database.WalBacklogKeys
            : Listening.WalBacklog.DefaultMaxKeys;

    /// <summary>Why the engine's root actor could not start its children (it stopped), or null.</summary>
    public Exception? StartFailure { get; set; }

    /// <summary>Messages an actor left unhandled (each a bug), as "type sent to path"; reported by <see cref="EngineWatchActor"/>.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> UnhandledMessages { get; } = new();
}
