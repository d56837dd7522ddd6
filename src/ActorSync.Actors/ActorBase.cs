using ActorSync.Actors.Event;
using ActorSync.Actors.Internal;

namespace ActorSync.Actors;

/// <summary>
/// Base class of every actor. An actor is created by its system from <see cref="Props"/> (never with <c>new</c>),
/// handles one message at a time, and is restarted or stopped by its supervisor when it fails.
/// </summary>
public abstract class ActorBase
{
    private readonly ActorCell _cell;
    private SupervisorStrategy? _supervisorStrategy;

    /// <summary>Attaches the new instance to the actor being created.</summary>
    /// <exception cref="ActorInitializationException">The instance is created with <c>new</c> instead of through <see cref="Props"/>.</exception>
    protected ActorBase()
    {
        var cell = ActorCell.Current;
        if (cell is null || !cell.ClaimNewInstance())
        {
            throw new ActorInitializationException(
                $"Do not create actors with 'new' ({GetType()}); create them with ActorOf(Props.Create(...)) on a system or context.");
        }

        _cell = cell;
        Self = cell.Self;
        cell.InitializeBehavior(Receive);
        if (this is IWithTimers withTimers)
        {
            withTimers.Timers = cell.Timers;
        }

        if (this is IActorStash withStash)
        {
            withStash.Stash = cell.CreateStash();
        }
    }

    /// <summary>The context of the actor on the current execution.</summary>
    /// <exception cref="NotSupportedException">Called outside the actor's execution, e.g. from a thread the actor started.</exception>
    protected static IActorContext Context => ActorCell.Current ?? throw ActorCell.NoContext();

    /// <summary>This actor's reference; valid on any thread.</summary>
    protected IActorRef Self { get; }

    /// <summary>The sender of the current message; dead letters when there is none.</summary>
    protected IActorRef Sender => _cell.Sender;

    internal ActorCell Cell => _cell;

    /// <summary>Handles a message of the initial behaviour.</summary>
    /// <param name="message">The message.</param>
    /// <returns>Whether it was handled; an unhandled message goes to <see cref="Unhandled"/>.</returns>
    protected abstract bool Receive(object message);

    /// <summary>
    /// Called for a message no behaviour handled: publishes <see cref="UnhandledMessage"/> on the event stream, or, for
    /// an unhandled <see cref="Terminated"/>, throws <see cref="DeathPactException"/>.
    /// </summary>
    /// <param name="message">The unhandled message.</param>
    protected virtual void Unhandled(object message)
    {
        if (message is Terminated terminated)
        {
            throw new DeathPactException(terminated.ActorRef);
        }

        _cell.PublishUnhandled(message);
    }

    /// <summary>Replaces the current behaviour.</summary>
    /// <param name="receive">The new behaviour.</param>
    protected void Become(Receive receive) => _cell.Become(receive);

    /// <summary>Pushes a behaviour on the stack.</summary>
    /// <param name="receive">The new behaviour.</param>
    protected void BecomeStacked(Receive receive) => _cell.BecomeStacked(receive);

    /// <summary>Pops the behaviour stack.</summary>
    protected void UnbecomeStacked() => _cell.UnbecomeStacked();

    /// <summary>Sets or clears the receive timeout (see <see cref="IActorContext.SetReceiveTimeout"/>).</summary>
    /// <param name="timeout">The idle period, or <see langword="null"/>.</param>
    protected void SetReceiveTimeout(TimeSpan? timeout) => _cell.SetReceiveTimeout(timeout);

    /// <summary>Runs once before the first message, and by default after every restart (from <see cref="PostRestart"/>).</summary>
    protected virtual void PreStart()
    {
    }

    /// <summary>
    /// Runs on the failed instance before a restart. By default it stops all children and calls <see cref="PostStop"/>.
    /// </summary>
    /// <param name="reason">The failure.</param>
    /// <param name="message">The message being handled when it failed, if any.</param>
    protected virtual void PreRestart(Exception reason, object? message)
    {
        foreach (var child in _cell.GetChildren())
        {
            _cell.Unwatch(child);
            _cell.Stop(child);
        }

        PostStop();
    }

    /// <summary>Runs on the new instance after a restart. By default it calls <see cref="PreStart"/>.</summary>
    /// <param name="reason">The failure that caused the restart.</param>
    protected virtual void PostRestart(Exception reason) => PreStart();

    /// <summary>Runs once after the actor and all its children have stopped. An exception here is logged and ignored.</summary>
    protected virtual void PostStop()
    {
    }

    /// <summary>How this actor supervises its children; <see cref="Actors.SupervisorStrategy.DefaultStrategy"/> by default.</summary>
    protected virtual SupervisorStrategy SupervisorStrategy() => Actors.SupervisorStrategy.DefaultStrategy;

    internal SupervisorStrategy GetSupervisorStrategy(Props props) =>
        _supervisorStrategy ??= props.SupervisorStrategy ?? SupervisorStrategy();

    /// <summary>A strategy for one particular child, overriding the actor's own (used by the TestKit's ChildActorOf).</summary>
    internal virtual SupervisorStrategy? StrategyFor(IActorRef child) => null;

    internal virtual void OnConstructed()
    {
    }

    internal bool ReceiveInternal(object message) => Receive(message);

    internal void UnhandledInternal(object message) => Unhandled(message);

    internal void PreStartInternal() => PreStart();

    internal void PreRestartInternal(Exception reason, object? message) => PreRestart(reason, message);

    internal void PostRestartInternal(Exception reason) => PostRestart(reason);

    internal void PostStopInternal() => PostStop();
}
