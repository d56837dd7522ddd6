using System.Reflection;
using ActorSync.Configuration;
using ActorSync.Logging;
using Akka.Actor;
using Microsoft.Extensions.Logging;

namespace ActorSync.Actors;

/// <summary>
/// The running engine: an actor system with the <see cref="SyncGuardianActor"/> at its root. Status is gathered by
/// asking the actors, each with a timeout, never by reading their state.
/// </summary>
public sealed class SyncEngine : IAsyncDisposable
{
    private readonly ILogger _logger;

    private SyncEngine(ActorSystem system, IActorRef guardian, EngineState state)
    {
        System = system;
        Guardian = guardian;
        State = state;
        _logger = state.LoggerFactory.CreateLogger<SyncEngine>();
    }

    /// <summary>The actor system's name.</summary>
    public const string SystemName = "actorsync";

    /// <summary>The version reported by status and logs.</summary>
    public static string Version { get; } =
        typeof(SyncEngine).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public ActorSystem System { get; }

    public IActorRef Guardian { get; }

    public EngineState State { get; }

    /// <summary>Starts the engine in a new actor system (tests and benchmarks; the service runs it in the host's).</summary>
    public static SyncEngine Start(EngineState state) => Start(Hosting.AkkaSettings.CreateSystem(SystemName, state.LoggerFactory), state);

    /// <summary>Starts the engine in an existing actor system (the hosted one).</summary>
    public static SyncEngine Start(ActorSystem system, EngineState state)
    {
        LogMessages.EngineStarting(
            state.LoggerFactory.CreateLogger<SyncEngine>(), Version, state.Syncs.Count,
            state.Syncs.SelectMany(s => new[] { s.Source.Database, s.Target.Database }).Distinct().Count());
        var guardian = system.ActorOf(Props.Create(() => new SyncGuardianActor(state)), "syncs");
        system.ActorOf(Props.Create(() => new EngineWatchActor(guardian, state)), "engine-watch");
        var engine = new SyncEngine(system, guardian, state);
        system.RegisterOnTermination(() => LogMessages.EngineStopped(engine._logger));
        return engine;
    }

    /// <summary>Asks every actor for its status, in parallel; an actor that does not answer in time is left out.</summary>
    public async Task<EngineStatus> GetStatusAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var actors = await Guardian.Ask<EngineActors>(EngineActorsRequested.Instance, timeout, cancellationToken);
        var syncs = actors.Replicators.Values.Select(r => AskOrDefault<SyncStatus>(r, SyncStatusRequested.Instance, timeout, cancellationToken)).ToArray();
        var listeners = actors.Listeners.Values.Select(l => AskOrDefault<ListenerStatus>(l, ListenerStatusRequested.Instance, timeout, cancellationToken)).ToArray();
        var pools = AskOrDefault<PoolStatus[]>(actors.Pools, PoolStatusRequested.Instance, timeout, cancellationToken);
        var slots = actors.Slots.Values.Select(s => AskOrDefault<SlotStatus>(s, SlotStatusRequested.Instance, timeout, cancellationToken)).ToArray();
        await Task.WhenAll(syncs.Cast<Task>().Concat(listeners).Concat(slots).Append(pools));
        return new EngineStatus(
            syncs.Select(t => t.Result).OfType<SyncStatus>().OrderBy(s => s.Name, StringComparer.Ordinal).ToArray(),
            listeners.Select(t => t.Result).OfType<ListenerStatus>().ToArray(),
            pools.Result ?? [],
            Version)
        {
            Slots = slots.Select(t => t.Result).OfType<SlotStatus>().OrderBy(s => s.Database, StringComparer.Ordinal).ToArray(),
        };
    }

    /// <summary>Sends pause, resume or resync to one sync; null when there is no such sync.</summary>
    public async Task<CommandAccepted?> CommandAsync(string sync, object command, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var actors = await Guardian.Ask<EngineActors>(EngineActorsRequested.Instance, timeout, cancellationToken);
        return actors.Replicators.TryGetValue(sync, out var replicator)
            ? await replicator.Ask<CommandAccepted>(command, timeout, cancellationToken)
            : null;
    }

    /// <summary>Asks one sync's replicator; null when there is no such sync.</summary>
    public async Task<T?> AskSyncAsync<T>(string sync, object message, TimeSpan timeout, CancellationToken cancellationToken)
        where T : class
    {
        var actors = await Guardian.Ask<EngineActors>(EngineActorsRequested.Instance, timeout, cancellationToken);
        return actors.Replicators.TryGetValue(sync, out var replicator)
            ? await replicator.Ask<T>(message, timeout, cancellationToken)
            : null;
    }

    public async ValueTask DisposeAsync()
    {
        await System.Terminate();
        if (State.Settings.FailOnUnhandledMessages && !State.UnhandledMessages.IsEmpty)
        {
            throw new InvalidOperationException($"Actors left messages unhandled: {string.Join("; ", State.UnhandledMessages)}");
        }
    }

    private static async Task<T?> AskOrDefault<T>(IActorRef actor, object message, TimeSpan timeout, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            return await actor.Ask<T>(message, timeout, cancellationToken);
        }
        catch (AskTimeoutException)
        {
            return null;
        }
    }
}

/// <summary>Everything <c>GET /status</c> reports.</summary>
public sealed record EngineStatus(IReadOnlyList<SyncStatus> Syncs, IReadOnlyList<ListenerStatus> Listeners, IReadOnlyList<PoolStatus> Pools, string Version)
{
    /// <summary>The replication slots of the WAL source databases (issue #20), as their monitors last read them.</summary>
    public IReadOnlyList<SlotStatus> Slots { get; init; } = [];
}
