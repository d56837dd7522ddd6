namespace ActorSync.Actors.Hosting;

/// <summary>
/// Configures the hosted actor system (Akka.Hosting's <c>AkkaConfigurationBuilder</c>): its settings and the startup
/// steps that create actors and fill the <see cref="ActorRegistry"/>. Steps run in order when the host starts.
/// </summary>
public sealed class ActorSystemBuilder
{
    private readonly List<Func<ActorSystem, IActorRegistry, IDependencyResolver, Task>> _startup = [];
    private readonly List<Func<ActorSystemSettings, ActorSystemSettings>> _settings = [];

    internal ActorSystemBuilder(string actorSystemName)
    {
        ActorSystemName = actorSystemName;
    }

    /// <summary>The name of the actor system.</summary>
    public string ActorSystemName { get; }

    internal IReadOnlyList<Func<ActorSystem, IActorRegistry, IDependencyResolver, Task>> StartupSteps => _startup;

    /// <summary>Adjusts the system's settings; the logger factory defaults to the host's.</summary>
    /// <param name="configure">Returns the adjusted settings, e.g. <c>s =&gt; s with { AskTimeout = ... }</c>.</param>
    public ActorSystemBuilder WithSettings(Func<ActorSystemSettings, ActorSystemSettings> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        _settings.Add(configure);
        return this;
    }

    /// <summary>Creates actors at startup.</summary>
    /// <param name="actorStarter">Creates actors and registers them.</param>
    public ActorSystemBuilder WithActors(Action<ActorSystem, IActorRegistry> actorStarter)
    {
        ArgumentNullException.ThrowIfNull(actorStarter);
        return WithActors((system, registry, _) => actorStarter(system, registry));
    }

    /// <summary>Creates actors at startup, with access to the application's services.</summary>
    /// <param name="actorStarter">Creates actors and registers them.</param>
    public ActorSystemBuilder WithActors(Action<ActorSystem, IActorRegistry, IDependencyResolver> actorStarter)
    {
        ArgumentNullException.ThrowIfNull(actorStarter);
        _startup.Add((system, registry, resolver) =>
        {
            actorStarter(system, registry, resolver);
            return Task.CompletedTask;
        });
        return this;
    }

    /// <summary>Runs an asynchronous step at startup, after the steps added before it.</summary>
    /// <param name="startupTask">The step.</param>
    public ActorSystemBuilder AddStartup(Func<ActorSystem, IActorRegistry, Task> startupTask)
    {
        ArgumentNullException.ThrowIfNull(startupTask);
        _startup.Add((system, registry, _) => startupTask(system, registry));
        return this;
    }

    internal ActorSystemSettings BuildSettings(ActorSystemSettings initial) => _settings.Aggregate(initial, (settings, configure) => configure(settings));
}
