using System.Text.RegularExpressions;
using ActorSync.Actors.Event;
using ActorSync.Actors.Internal;
using ActorSync.Actors.Scheduling;
using Microsoft.Extensions.Logging;

namespace ActorSync.Actors;

/// <summary>
/// A hierarchy of actors with its scheduler, event stream and dead letters. Top-level actors created with
/// <see cref="ActorOf"/> are children of the user guardian (<c>/user</c>). <see cref="Terminate"/> runs
/// <see cref="CoordinatedShutdown"/> and stops every actor top-down.
/// </summary>
public sealed partial class ActorSystem : IActorRefFactory, IDisposable, IAsyncDisposable
{
    private readonly DefaultScheduler _scheduler = new();
    private readonly LocalActorRef _userGuardian;
    private readonly LocalActorRef _systemGuardian;
    private readonly DeadLetterActorRef _deadLetters;
    private readonly ActorPath _tempPath;
    private long _tempCounter;

    private ActorSystem(string name, ActorSystemSettings settings)
    {
        Name = name;
        Settings = settings;
        LoggerFactory = settings.LoggerFactory;
        KernelLogger = LoggerFactory.CreateLogger("ActorSync.Actors");
        StartTime = DateTimeOffset.UtcNow;
        EventStream = new EventStream();
        var root = ActorPath.CreateRoot(new Address("akka", name));
        var rootGuardian = new RootGuardianRef(this, root);
        _deadLetters = new DeadLetterActorRef(this, root / "deadLetters");
        _tempPath = root / "temp";
        _userGuardian = CreateGuardian(rootGuardian, root, "user", settings.GuardianSupervisorStrategy);
        _systemGuardian = CreateGuardian(rootGuardian, root, "system", SupervisorStrategy.DefaultStrategy);
        Log = Logging.GetLogger(this, typeof(ActorSystem));
        if (settings.LogDeadLetters > 0)
        {
            var listener = _systemGuardian.Cell.ActorOf(Props.Create(typeof(DeadLetterListener), () => new DeadLetterListener()), "deadLetterListener");
            EventStream.Subscribe(listener, typeof(AllDeadLetters));
        }

        if (settings.CoordinatedShutdown.RunByActorSystemTerminate)
        {
            // Created eagerly so that its phases are validated and tasks can be added before anyone asks for it.
            _ = Actors.CoordinatedShutdown.Get(this);
        }
    }

    /// <summary>The system's name.</summary>
    public string Name { get; }

    /// <summary>The settings it was created with.</summary>
    public ActorSystemSettings Settings { get; }

    /// <summary>When it started.</summary>
    public DateTimeOffset StartTime { get; }

    /// <summary>How long it has been running.</summary>
    public TimeSpan Uptime => DateTimeOffset.UtcNow - StartTime;

    /// <summary>The scheduler; its pending work is cancelled when the system terminates.</summary>
    public IScheduler Scheduler => _scheduler;

    /// <summary>The dead letters: messages sent here are published on the event stream as <see cref="DeadLetter"/>.</summary>
    public IActorRef DeadLetters => _deadLetters;

    /// <summary>The event stream, carrying dead letters, unhandled messages and whatever the application publishes.</summary>
    public EventStream EventStream { get; }

    /// <summary>The system's logger.</summary>
    public ILoggingAdapter Log { get; }

    /// <summary>Completes once the system has terminated and its termination callbacks have run.</summary>
    public Task WhenTerminated => _whenTerminated.Task;

    internal ILoggerFactory LoggerFactory { get; }

    internal ILogger KernelLogger { get; }

    internal LocalActorRef UserGuardian => _userGuardian;

    internal LocalActorRef SystemGuardian => _systemGuardian;

    /// <summary>Creates a system with the default settings.</summary>
    /// <param name="name">The name: letters, digits, '-' and '_', starting with a letter or digit.</param>
    /// <exception cref="ArgumentException">The name is invalid.</exception>
    public static ActorSystem Create(string name) => Create(name, ActorSystemSettings.Default);

    /// <summary>Creates a system.</summary>
    /// <param name="name">The name: letters, digits, '-' and '_', starting with a letter or digit.</param>
    /// <param name="settings">The settings.</param>
    /// <exception cref="ArgumentException">The name is invalid, or the coordinated-shutdown phases have a cycle or a missing dependency.</exception>
    public static ActorSystem Create(string name, ActorSystemSettings settings)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(settings);
        if (!SystemNameRegex().IsMatch(name))
        {
            throw new ArgumentException(
                $"Invalid actor system name [{name}]: use letters, digits, '-' and '_', starting with a letter or digit.", nameof(name));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(settings.Throughput, 1, nameof(settings));
        return new ActorSystem(name, settings);
    }

    /// <summary>Creates a top-level actor (a child of <c>/user</c>).</summary>
    /// <param name="props">How to build the actor.</param>
    /// <param name="name">A unique name; generated when <see langword="null"/>.</param>
    /// <exception cref="InvalidActorNameException">The name is malformed or taken.</exception>
    /// <exception cref="InvalidOperationException">The system is terminating.</exception>
    public IActorRef ActorOf(Props props, string? name = null) => _userGuardian.Cell.ActorOf(props, name);

    /// <summary>Stops an actor asynchronously; messages already queued behind the stop become dead letters.</summary>
    /// <param name="actor">The actor.</param>
    public void Stop(IActorRef actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (actor is IInternalActorRef internalRef)
        {
            internalRef.Stop();
        }
    }

    /// <summary>
    /// Terminates the system: runs <see cref="CoordinatedShutdown"/> (unless configured off), which stops all actors.
    /// Safe to call repeatedly; the work happens once.
    /// </summary>
    /// <returns><see cref="WhenTerminated"/>.</returns>
    public Task Terminate()
    {
        if (Settings.CoordinatedShutdown.RunByActorSystemTerminate)
        {
            var run = Actors.CoordinatedShutdown.Get(this).Run(Actors.CoordinatedShutdown.ActorSystemTerminateReason.Instance);

            // A shutdown that already ran without reaching its last phase (recover = off) must not leave the system running.
            _ = run.ContinueWith(
                static (_, state) => ((ActorSystem)state!).FinalTerminate(),
                this,
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }
        else
        {
            FinalTerminate();
        }

        return WhenTerminated;
    }

    /// <summary>Registers a callback that runs after the system has terminated; callbacks run in reverse order of registration.</summary>
    /// <param name="code">The callback.</param>
    /// <exception cref="InvalidOperationException">The system has already terminated.</exception>
    public void RegisterOnTermination(Action code)
    {
        ArgumentNullException.ThrowIfNull(code);
        lock (_terminationLock)
        {
            if (_terminated)
            {
                throw new InvalidOperationException($"Actor system [{Name}] has already terminated; the callback would never run.");
            }

            _terminationCallbacks.Add(code);
        }
    }

    /// <summary>Terminates the system and waits for it.</summary>
    public void Dispose()
    {
        Terminate().GetAwaiter().GetResult();
    }

    /// <summary>Terminates the system and waits for it.</summary>
    public async ValueTask DisposeAsync()
    {
        await Terminate().ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override string ToString() => $"akka://{Name}";

    internal ActorPath NextTempPath() => _tempPath.Child("$" + Interlocked.Increment(ref _tempCounter).ToString(System.Globalization.CultureInfo.InvariantCulture));

    internal void PublishDeadLetter(object message, IActorRef? sender, IActorRef recipient)
    {
        var from = sender ?? _deadLetters;
        EventStream.Publish(message is IDeadLetterSuppression suppressed
            ? new SuppressedDeadLetter(suppressed, from, recipient)
            : new DeadLetter(message, from, recipient));
    }

    private LocalActorRef CreateGuardian(RootGuardianRef root, ActorPath rootPath, string name, SupervisorStrategy strategy)
    {
        var guardianRef = new LocalActorRef(this, rootPath.Child(name, 0), root);
        var props = Props.Create(typeof(GuardianActor), () => new GuardianActor()).WithSupervisorStrategy(strategy);
        _ = new ActorCell(this, guardianRef, props, root, new Dispatch.Mailbox(Settings.Throughput));
        guardianRef.SendSystemMessage(Dispatch.Create.Instance);
        return guardianRef;
    }

    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9_-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex SystemNameRegex();
}
