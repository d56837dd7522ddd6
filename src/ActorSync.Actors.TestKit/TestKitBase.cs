using System.Diagnostics;
using ActorSync.Actors.Internal;
using ActorSync.Actors.TestKit.Internal;
using Xunit.Sdk;

namespace ActorSync.Actors.TestKit;

/// <summary>
/// The TestKit's core, shared by <see cref="Xunit2.TestKit"/> and <see cref="TestProbe"/>: a <see cref="TestActor"/>
/// that queues what it receives, and expectations on that queue. Expectations block the calling thread up to their
/// timeout; without an explicit timeout they use the time left in the innermost <see cref="Within(TimeSpan, Action, TimeSpan?)"/>
/// of this instance, or <see cref="TestKitSettings.SingleExpectDefault"/>. Every timeout is <see cref="Dilated"/>.
/// </summary>
public abstract partial class TestKitBase
{
    private static long _testActorCounter;
    private readonly TestActorState _state = new();
    private readonly LocalActorRef _testActor;
    private long? _end;

    /// <summary>Creates the TestActor in <paramref name="system"/>.</summary>
    /// <param name="system">The actor system under test.</param>
    /// <param name="settings">Timeouts and time factor.</param>
    /// <param name="testActorName">The TestActor's name; generated when <see langword="null"/>.</param>
    private protected TestKitBase(ActorSystem system, TestKitSettings settings, string? testActorName)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(settings);
        Sys = system;
        TestKitSettings = settings;
        var name = testActorName ?? "testActor" + Interlocked.Increment(ref _testActorCounter);
        var props = Props.Create(typeof(TestActor), () => new TestActor(_state));
        _testActor = (LocalActorRef)system.SystemGuardian.Cell.ActorOf(props, name);
        LastSender = system.DeadLetters;
    }

    /// <summary>The actor system under test.</summary>
    public ActorSystem Sys { get; }

    /// <summary>The timeouts and time factor.</summary>
    public TestKitSettings TestKitSettings { get; }

    /// <summary>The reference that queues every message it receives; the implicit sender of <c>Tell</c> from the test.</summary>
    public IActorRef TestActor => _testActor;

    /// <summary>The sender of the last message received.</summary>
    public IActorRef LastSender { get; private set; }

    /// <summary>The last message received, if any.</summary>
    public object? LastMessage { get; private set; }

    /// <summary>Whether messages are waiting in the queue.</summary>
    public bool HasMessages => _state.Queue.Count > 0;

    /// <summary>The time left in the innermost <c>Within</c>.</summary>
    /// <exception cref="InvalidOperationException">Called outside <c>Within</c>.</exception>
    public TimeSpan Remaining => _end is { } end
        ? TimeSpan.FromTicks(Math.Max(0, end - Stopwatch.GetTimestamp()) * TimeSpan.TicksPerSecond / Stopwatch.Frequency)
        : throw new InvalidOperationException("Remaining is only defined inside Within(...).");

    /// <summary>The time left in the innermost <c>Within</c>, or the dilated <see cref="TestKitSettings.SingleExpectDefault"/>.</summary>
    public TimeSpan RemainingOrDefault => _end is null ? Dilated(TestKitSettings.SingleExpectDefault) : Remaining;

    /// <summary>Multiplies <paramref name="duration"/> by the time factor (infinite stays infinite).</summary>
    /// <param name="duration">The duration.</param>
    public TimeSpan Dilated(TimeSpan duration) =>
        duration == Timeout.InfiniteTimeSpan || duration == TimeSpan.MaxValue ? duration : duration * TestKitSettings.TestTimeFactor;

    /// <summary>Creates a probe with its own TestActor, queue and deadlines.</summary>
    /// <param name="name">The probe actor's name; generated when <see langword="null"/>.</param>
    public TestProbe CreateTestProbe(string? name = null) => new(Sys, TestKitSettings, name);

    /// <summary>Creates a top-level actor in <see cref="Sys"/>.</summary>
    /// <param name="props">How to build it.</param>
    /// <param name="name">Its name; generated when <see langword="null"/>.</param>
    public IActorRef ActorOf(Props props, string? name = null) => Sys.ActorOf(props, name);

    /// <summary>Creates a top-level actor of type <typeparamref name="TActor"/> in <see cref="Sys"/>.</summary>
    /// <typeparam name="TActor">The actor type.</typeparam>
    /// <param name="name">Its name; generated when <see langword="null"/>.</param>
    public IActorRef ActorOf<TActor>(string? name = null)
        where TActor : ActorBase, new() => Sys.ActorOf(Props.Create<TActor>(), name);

    /// <summary>Creates an actor whose parent is the TestActor, supervised with the default strategy.</summary>
    /// <param name="props">How to build it.</param>
    /// <param name="name">Its name; generated when <see langword="null"/>.</param>
    public IActorRef ChildActorOf(Props props, string? name = null) => ChildActorOf(props, name, SupervisorStrategy.DefaultStrategy);

    /// <summary>Creates an actor whose parent is the TestActor, supervised with <paramref name="supervisorStrategy"/>.</summary>
    /// <param name="props">How to build it.</param>
    /// <param name="supervisorStrategy">How the TestActor supervises it.</param>
    public IActorRef ChildActorOf(Props props, SupervisorStrategy supervisorStrategy) => ChildActorOf(props, null, supervisorStrategy);

    /// <summary>Creates an actor whose parent is the TestActor, supervised with <paramref name="supervisorStrategy"/>.</summary>
    /// <param name="props">How to build it.</param>
    /// <param name="name">Its name; generated when <see langword="null"/>.</param>
    /// <param name="supervisorStrategy">How the TestActor supervises it.</param>
    public IActorRef ChildActorOf(Props props, string? name, SupervisorStrategy supervisorStrategy)
    {
        ArgumentNullException.ThrowIfNull(supervisorStrategy);
        var child = _testActor.Cell.ActorOf(props, name);
        _state.ChildStrategies[child] = supervisorStrategy;
        return child;
    }

    /// <summary>Makes the TestActor watch <paramref name="actorToWatch"/>, so that its <see cref="Terminated"/> arrives here.</summary>
    /// <param name="actorToWatch">The actor.</param>
    /// <returns><paramref name="actorToWatch"/>.</returns>
    public IActorRef Watch(IActorRef actorToWatch)
    {
        ArgumentNullException.ThrowIfNull(actorToWatch);
        _testActor.Tell(new WatchRequest(actorToWatch, true), null);
        return actorToWatch;
    }

    /// <summary>Makes the TestActor stop watching <paramref name="actorToUnwatch"/>.</summary>
    /// <param name="actorToUnwatch">The actor.</param>
    /// <returns><paramref name="actorToUnwatch"/>.</returns>
    public IActorRef Unwatch(IActorRef actorToUnwatch)
    {
        ArgumentNullException.ThrowIfNull(actorToUnwatch);
        _testActor.Tell(new WatchRequest(actorToUnwatch, false), null);
        return actorToUnwatch;
    }

    /// <summary>Drops matching messages before they are queued, until <see cref="IgnoreNoMessages"/>.</summary>
    /// <param name="shouldIgnoreMessage">Which messages to drop.</param>
    public void IgnoreMessages(Func<object, bool> shouldIgnoreMessage)
    {
        ArgumentNullException.ThrowIfNull(shouldIgnoreMessage);
        _state.Ignore = shouldIgnoreMessage;
    }

    /// <summary>Drops messages of type <typeparamref name="T"/> that match, before they are queued.</summary>
    /// <typeparam name="T">The message type.</typeparam>
    /// <param name="shouldIgnoreMessage">Which messages to drop.</param>
    public void IgnoreMessages<T>(Func<T, bool> shouldIgnoreMessage)
    {
        ArgumentNullException.ThrowIfNull(shouldIgnoreMessage);
        _state.Ignore = m => m is T typed && shouldIgnoreMessage(typed);
    }

    /// <summary>Drops every message of type <typeparamref name="T"/> before it is queued.</summary>
    /// <typeparam name="T">The message type.</typeparam>
    public void IgnoreMessages<T>() => _state.Ignore = static m => m is T;

    /// <summary>Stops ignoring messages.</summary>
    public void IgnoreNoMessages() => _state.Ignore = null;

    /// <summary>Sends <paramref name="message"/> to <see cref="LastSender"/>, with the TestActor as sender.</summary>
    /// <param name="message">The reply.</param>
    public void Reply(object message) => LastSender.Tell(message, TestActor);

    /// <summary>Sends <see cref="LastMessage"/> to <paramref name="actor"/>, keeping <see cref="LastSender"/> as sender.</summary>
    /// <param name="actor">The receiver.</param>
    /// <exception cref="InvalidOperationException">Nothing has been received yet.</exception>
    public void Forward(IActorRef actor) =>
        Forward(actor, LastMessage ?? throw new InvalidOperationException("Nothing has been received yet, so there is nothing to forward."));

    /// <summary>Sends <paramref name="message"/> to <paramref name="actor"/> with <see cref="LastSender"/> as sender.</summary>
    /// <param name="actor">The receiver.</param>
    /// <param name="message">The message.</param>
    public void Forward(IActorRef actor, object message)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Tell(message, LastSender);
    }

    /// <summary>Terminates <paramref name="system"/> (default <see cref="Sys"/>) and waits for it.</summary>
    /// <param name="system">The system.</param>
    /// <param name="duration">How long to wait; dilated <see cref="TestKitSettings.DefaultTimeout"/> by default.</param>
    /// <param name="verifySystemShutdown">Whether to fail when it does not terminate in time.</param>
    public void Shutdown(ActorSystem? system = null, TimeSpan? duration = null, bool verifySystemShutdown = false)
    {
        var target = system ?? Sys;
        var wait = duration ?? Dilated(TestKitSettings.DefaultTimeout);
        if (!target.Terminate().Wait(wait) && verifySystemShutdown)
        {
            throw new XunitException($"Failed to stop [{target.Name}] within [{wait}].");
        }
    }

    /// <summary>Fails the test with <paramref name="message"/>.</summary>
    /// <param name="message">Why.</param>
    protected static XunitException Fail(string message) => new(message);

    private protected void SetImplicitSender() => ImplicitSender.Value = TestActor;

    private TimeSpan RemainingOrDilated(TimeSpan? duration) =>
        duration is not { } value ? RemainingOrDefault : value == Timeout.InfiniteTimeSpan ? value : Dilated(value);
}
