using ActorSync.Actors.Pattern;

namespace ActorSync.Actors.Internal;

internal enum BackoffMode
{
    OnStop,
    OnFailure,
}

/// <summary>What both backoff supervisors share: the child, the restart count, reset and forwarding (semantics items 53-54).</summary>
internal abstract class BackoffSupervisorBase : ActorBase, IWithTimers
{
    private const string StartTimer = "backoff-start";
    private const string ResetTimer = "backoff-reset";

    protected BackoffSupervisorBase(BackoffOptions options)
    {
        Options = options;
    }

    public ITimerScheduler Timers { get; set; } = null!;

    protected BackoffOptions Options { get; }

    protected IActorRef? Child { get; private set; }

    protected int RestartCount { get; set; }

    protected bool FinalStopMessageReceived { get; private set; }

    protected override void PreStart() => StartChild();

    protected override bool Receive(object message)
    {
        switch (message)
        {
            case Terminated terminated when terminated.ActorRef.Equals(Child):
                Child = null;
                OnChildTerminated();
                return true;
            case BackoffSupervisor.StartChild:
                StartChild();
                return true;
            case ResetRestartCount reset:
                if (reset.Current == RestartCount)
                {
                    RestartCount = 0;
                }

                return true;
            case BackoffSupervisor.Reset when Options.ResetBackoff is null:
                RestartCount = 0;
                return true;
            case BackoffSupervisor.Reset:
                return false;
            case BackoffSupervisor.GetRestartCount:
                Sender.Tell(new BackoffSupervisor.RestartCount(RestartCount), Self);
                return true;
            case BackoffSupervisor.GetCurrentChild:
                Sender.Tell(new BackoffSupervisor.CurrentChild(Child), Self);
                return true;
            default:
                Forward(message);
                return true;
        }
    }

    protected abstract void OnChildTerminated();

    /// <summary>Schedules the next start after the backoff delay, or stops when the retry limit is reached.</summary>
    protected void ScheduleRestart(bool checkRetryLimit = true)
    {
        var maxRetries = Options.Strategy.MaxNumberOfRetries;
        if (checkRetryLimit && maxRetries >= 0 && RestartCount >= maxRetries)
        {
            Context.Stop(Self);
            return;
        }

        var delay = BackoffSupervisor.CalculateDelay(RestartCount, Options.MinBackoff, Options.MaxBackoff, Options.RandomFactor);
        RestartCount++;
        Timers.StartSingleTimer(StartTimer, BackoffSupervisor.StartChild.Instance, delay);
    }

    private void StartChild()
    {
        if (Child is not null)
        {
            return;
        }

        Child = Context.Watch(Context.ActorOf(Options.ChildProps, Options.ChildName));
        if (Options.ResetBackoff is { } window && RestartCount > 0)
        {
            // Auto reset: if the child lives for the window without another restart, the count starts again at 0.
            Timers.StartSingleTimer(ResetTimer, new ResetRestartCount(RestartCount), window);
        }
    }

    private void Forward(object message)
    {
        if (Child is { } child)
        {
            if (Sender.Equals(child))
            {
                // Messages from the child go to the supervisor's parent.
                Context.Parent.Tell(message, child);
                return;
            }

            child.Tell(message, Sender);
            if (Options.FinalStopMessage?.Invoke(message) == true)
            {
                FinalStopMessageReceived = true;
            }

            return;
        }

        if (Options.ReplyWhileStopped is { } reply)
        {
            Sender.Tell(reply, Self);
        }
        else
        {
            Context.System.DeadLetters.Tell(message, Sender);
        }
    }

    private sealed record ResetRestartCount(int Current);
}

/// <summary>Re-creates the child after a backoff whenever it stops (semantics item 52).</summary>
internal sealed class BackoffOnStopSupervisor(BackoffOptions options) : BackoffSupervisorBase(options)
{
    protected override SupervisorStrategy SupervisorStrategy() => Options.Strategy;

    protected override void OnChildTerminated()
    {
        if (FinalStopMessageReceived)
        {
            Context.Stop(Self);
            return;
        }

        ScheduleRestart();
    }
}

/// <summary>
/// Re-creates the child after a backoff when it fails with an exception the strategy maps to Restart: the child is
/// stopped instead of restarted in place, and started again later. Any other end of the child stops the supervisor.
/// </summary>
internal sealed class BackoffOnFailureSupervisor(BackoffOptions options) : BackoffSupervisorBase(options)
{
    private ChildRestartStats? _window;
    private bool _restartPending;

    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(cause =>
    {
        var directive = Options.Strategy.Decider.Decide(cause);
        if (directive != Directive.Restart)
        {
            return directive;
        }

        // The strategy's window applies too (semantics item 55): too many failures within it end the cycle.
        var maxRetries = Options.Strategy.MaxNumberOfRetries;
        var window = Options.Strategy.WithinTimeRangeMilliseconds;
        if (window > 0)
        {
            _window ??= new ChildRestartStats((IInternalActorRef)Sender);
            _restartPending = _window.RequestRestartPermission(maxRetries, window);
        }
        else
        {
            _restartPending = maxRetries < 0 || RestartCount < maxRetries;
        }

        return Directive.Stop;
    }, Options.Strategy.LoggingEnabled);

    protected override void OnChildTerminated()
    {
        if (_restartPending && !FinalStopMessageReceived)
        {
            _restartPending = false;
            ScheduleRestart(checkRetryLimit: false);
        }
        else
        {
            Context.Stop(Self);
        }
    }
}
