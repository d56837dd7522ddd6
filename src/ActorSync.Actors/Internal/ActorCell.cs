using ActorSync.Actors.Dispatch;
using ActorSync.Actors.Event;
using ActorSync.Actors.Scheduling;

namespace ActorSync.Actors.Internal;

/// <summary>
/// The runtime of one actor: its instance, behaviour stack, children, watches and failure state. Everything here runs
/// on the actor's own turn (one thread at a time, see <see cref="Dispatch.Mailbox"/>), except the children container
/// (locked, because <c>ActorOf</c> on a system or a test probe comes from outside) and the receive-timeout timer.
/// </summary>
internal sealed partial class ActorCell : IUntypedActorContext
{
    [ThreadStatic]
    private static ActorCell? _currentCell;

    private readonly ActorSystem _system;
    private readonly LocalActorRef _self;
    private readonly IInternalActorRef _parent;
    private readonly List<Receive> _behaviors = new(2);
    private Receive? _behavior;
    private ActorBase? _actor;
    private Envelope _current;
    private long _invocation;
    private bool _newInstanceClaimable;
    private TimerScheduler? _timers;
    private ActorStash? _stash;

    public ActorCell(ActorSystem system, LocalActorRef self, Props props, IInternalActorRef parent, Mailbox mailbox)
    {
        _system = system;
        _self = self;
        _parent = parent;
        Props = props;
        Mailbox = mailbox;
        mailbox.Attach(this);
        self.Attach(this);
    }

    /// <summary>The cell whose turn is running on this thread, if any.</summary>
    public static ActorCell? Current
    {
        get => _currentCell;
        set => _currentCell = value;
    }

    public Mailbox Mailbox { get; }

    public LocalActorRef SelfRef => _self;

    public IActorRef Self => _self;

    public IActorRef Parent => _parent;

    public Props Props { get; }

    public ActorSystem System => _system;

    public ActorSystem SystemImpl => _system;

    public ActorBase? Actor => _actor;

    public IActorRef Sender => _current.Sender ?? _system.DeadLetters;

    /// <summary>The sender as given, <see langword="null"/> when there was none (what <c>Forward</c> passes on).</summary>
    public IActorRef? CurrentSender => _current.Sender;

    public Envelope CurrentEnvelope => _current;

    public long Invocation => _invocation;

    public TimerScheduler Timers => _timers ??= new TimerScheduler(this);

    public static NotSupportedException NoContext() =>
        new("There is no active actor context on this thread. Context, Sender and the implicit Tell sender are only " +
            "available on the actor's own execution (its handlers, hooks and async continuations).");

    public bool ClaimNewInstance()
    {
        if (!_newInstanceClaimable)
        {
            return false;
        }

        _newInstanceClaimable = false;
        return true;
    }

    public void InitializeBehavior(Receive receive)
    {
        _behaviors.Clear();
        _behaviors.Add(receive);
        _behavior = receive;
    }

    public ActorStash CreateStash() => _stash = new ActorStash(this, Props.StashCapacity);

    public void Become(Receive receive)
    {
        ArgumentNullException.ThrowIfNull(receive);
        if (_behaviors.Count > 1)
        {
            _behaviors[^1] = receive;
        }
        else
        {
            _behaviors.Add(receive);
        }

        _behavior = receive;
    }

    public void BecomeStacked(Receive receive)
    {
        ArgumentNullException.ThrowIfNull(receive);
        _behaviors.Add(receive);
        _behavior = receive;
    }

    public void Become(UntypedReceive receive)
    {
        ArgumentNullException.ThrowIfNull(receive);
        Become(WrapUntyped(receive));
    }

    public void BecomeStacked(UntypedReceive receive)
    {
        ArgumentNullException.ThrowIfNull(receive);
        BecomeStacked(WrapUntyped(receive));
    }

    public void UnbecomeStacked()
    {
        if (_behaviors.Count > 1)
        {
            _behaviors.RemoveAt(_behaviors.Count - 1);
            _behavior = _behaviors[^1];
        }
    }

    /// <summary>Processes one user message.</summary>
    public void Invoke(Envelope envelope)
    {
        _current = envelope;
        _invocation++;
        var message = envelope.Message;
        try
        {
            if (message is IAutoReceivedMessage)
            {
                AutoReceiveMessage(message);
            }
            else
            {
                ReceiveMessage(message);
            }
        }
        catch (Exception e)
        {
            HandleInvokeFailure(e);
        }

        if (_receiveTimeoutTicks > 0 && InfluencesReceiveTimeout(message))
        {
            TouchReceiveTimeout();
        }

        _current = default;
    }

    /// <summary>Processes one system message.</summary>
    public void SystemInvoke(SystemMessage message)
    {
        try
        {
            switch (message)
            {
                case Dispatch.Create:
                    Create();
                    break;
                case Recreate recreate:
                    FaultRecreate(recreate.Cause);
                    break;
                case Dispatch.Suspend:
                    FaultSuspend();
                    break;
                case Resume resume:
                    FaultResume(resume.CausedByFailure);
                    break;
                case Dispatch.Terminate:
                    Terminate();
                    break;
                case Dispatch.Watch watch:
                    AddWatcher(watch.Watchee, watch.Watcher);
                    break;
                case Dispatch.Unwatch unwatch:
                    RemoveWatcher(unwatch.Watchee, unwatch.Watcher);
                    break;
                case DeathWatchNotification notification:
                    WatchedActorTerminated(notification.Actor, notification.ExistenceConfirmed);
                    break;
                case Failed failed:
                    HandleFailed(failed);
                    break;
                case ExecuteTask execute:
                    RunContinuation(execute);
                    break;
                case AsyncTaskCompleted completed:
                    AsyncTaskCompleted(completed);
                    break;
            }
        }
        catch (Exception e)
        {
            HandleInvokeFailure(e);
        }
    }

    public void PublishUnhandled(object message)
    {
        LogMessages.UnhandledMessage(_system.KernelLogger, message.GetType().FullName ?? "?", _self.Path.ToString());
        _system.EventStream.Publish(new UnhandledMessage(message, Sender, _self));
    }

    public void SendDeadLetter(Envelope envelope)
    {
        // A dead letter that cannot be delivered to its subscriber is not re-published: that would never end.
        if (envelope.Message is AllDeadLetters)
        {
            return;
        }

        _system.PublishDeadLetter(envelope.Message, envelope.Sender, _self);
    }

    public void SetReceiveTimeout(TimeSpan? timeout) => SetReceiveTimeoutCore(timeout);

    private void ReceiveMessage(object message)
    {
        if (!_behavior!(message))
        {
            _actor!.UnhandledInternal(message);
        }
    }

    private void AutoReceiveMessage(object message)
    {
        switch (message)
        {
            case TimerMessage timerMessage:
                if (_timers?.Intercept(timerMessage) is { } payload)
                {
                    _current = new Envelope(payload, _current.Sender);
                    if (payload is IAutoReceivedMessage)
                    {
                        AutoReceiveMessage(payload);
                    }
                    else
                    {
                        ReceiveMessage(payload);
                    }
                }

                break;
            case Terminated terminated:
                HandleTerminatedMessage(terminated);
                break;
            case PoisonPill:
                _self.Stop();
                break;
            case Kill:
                throw new ActorKilledException("Kill");
            default:
                ReceiveMessage(message);
                break;
        }
    }

    private static bool InfluencesReceiveTimeout(object message) =>
        message is not INotInfluenceReceiveTimeout && message is not TimerMessage { InfluencesReceiveTimeout: false };

    private void Create()
    {
        try
        {
            NewActorInstance();
            _actor!.PreStartInternal();
        }
        catch (Exception e)
        {
            _actor = null;
            HandleInvokeFailure(new ActorInitializationException(_self, $"Exception during creation of {_self.Path}: {e.Message}", e));
        }
    }

    private void NewActorInstance()
    {
        _behaviors.Clear();
        _behavior = null;
        _newInstanceClaimable = true;
        ActorBase instance;
        try
        {
            instance = Props.NewActor();
        }
        finally
        {
            _newInstanceClaimable = false;
        }

        instance.OnConstructed();
        _actor = instance;
    }

    private static Receive WrapUntyped(UntypedReceive receive) => message =>
    {
        receive(message);
        return true;
    };
}
