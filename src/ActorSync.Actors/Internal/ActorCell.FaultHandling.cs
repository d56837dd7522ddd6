using ActorSync.Actors.Dispatch;

namespace ActorSync.Actors.Internal;

internal sealed partial class ActorCell
{
    private bool _isFailed;
    private Envelope _failedEnvelope;
    private IActorRef? _perpetrator;
    private bool _isTerminating;
    private bool _isTerminated;
    private Exception? _pendingRecreate;
    private bool _pendingCreate;

    /// <summary>
    /// The actor failed: suspend it and its children, and report to the parent, whose strategy decides. The failing
    /// message is remembered for <c>PreRestart</c> and dropped.
    /// </summary>
    private void HandleInvokeFailure(Exception cause, IActorRef? escalatingChild = null)
    {
        if (_isFailed || _isTerminating)
        {
            // Already waiting for a directive, or stopping anyway: nothing more to report.
            return;
        }

        _isFailed = true;
        _failedEnvelope = escalatingChild is null ? _current : default;
        _perpetrator = escalatingChild;
        Mailbox.Suspend();

        // The escalating child suspended itself when it failed; everyone else is suspended here (semantics item 29).
        SuspendChildren(escalatingChild);
        _parent.SendSystemMessage(new Failed(_self, cause));
    }

    private void ClearFailed()
    {
        _isFailed = false;
        _failedEnvelope = default;
        _perpetrator = null;
    }

    private void HandleFailed(Failed failed)
    {
        if (_isTerminating)
        {
            return;
        }

        var stats = _children.GetStats(failed.Child);
        if (stats is null || _children.IsStopping(failed.Child))
        {
            // A child that is already gone or being stopped: its failure no longer matters.
            return;
        }

        var strategy = _actor?.StrategyFor(failed.Child) ?? _actor?.GetSupervisorStrategy(Props) ?? SupervisorStrategy.DefaultStrategy;
        var saved = _current;

        // While deciding, Sender is the child that reported the failure (semantics item 24).
        _current = new Envelope(failed, failed.Child);
        try
        {
            if (!strategy.HandleFailure(this, failed.Child, failed.Cause, stats, _children.LiveStats()))
            {
                HandleInvokeFailure(failed.Cause, failed.Child);
            }
        }
        finally
        {
            _current = saved;
        }
    }

    private void FaultSuspend()
    {
        Mailbox.Suspend();
        SuspendChildren(null);
    }

    private void FaultResume(Exception? causedByFailure)
    {
        if (_isTerminating)
        {
            return;
        }

        if (_actor is null && causedByFailure is not null)
        {
            // Failed during creation: "resume" means build it again from scratch (semantics item 30).
            FaultCreate();
            return;
        }

        var perpetrator = _perpetrator;
        if (causedByFailure is not null)
        {
            ClearFailed();
        }

        Mailbox.Resume();
        ResumeChildren(causedByFailure, perpetrator);
    }

    private void FaultRecreate(Exception cause)
    {
        if (_isTerminating)
        {
            return;
        }

        if (_actor is null)
        {
            FaultCreate();
            return;
        }

        var failedActor = _actor;
        var failedEnvelope = _failedEnvelope;
        AbortAwaitedTask();
        CancelReceiveTimeout();
        _timers?.CancelAll();
        // PreRestart sees the failing message and its Sender (semantics item 15).
        _current = failedEnvelope;
        try
        {
            failedActor.PreRestartInternal(cause, failedEnvelope.Message);
        }
        catch (Exception e)
        {
            LogMessages.PreRestartFailed(_system.KernelLogger, e, _self.Path.ToString());
        }
        finally
        {
            // Whatever the stash still holds goes back to the mailbox for the new instance (semantics item 49).
            _stash?.UnstashAll();
            _current = default;
        }

        _actor = null;
        _behaviors.Clear();
        _behavior = null;
        if (_children.ToDieCount > 0)
        {
            _pendingRecreate = cause;
        }
        else
        {
            FinishRecreate(cause);
        }
    }

    private void FinishRecreate(Exception cause)
    {
        var survivors = _children.Children();
        ClearFailed();
        Mailbox.Resume();
        try
        {
            NewActorInstance();
            _actor!.PostRestartInternal(cause);
        }
        catch (Exception e)
        {
            _actor = null;
            HandleInvokeFailure(new ActorInitializationException(_self, $"Exception after restart of {_self.Path}: {e.Message}", e));
            return;
        }

        // Children kept by an overridden PreRestart are restarted after our PostRestart (semantics item 31).
        foreach (var child in survivors)
        {
            child.SendSystemMessage(new Recreate(cause));
        }
    }

    private void FaultCreate()
    {
        CancelReceiveTimeout();
        foreach (var child in _children.StopAll(terminating: false))
        {
            child.Stop();
        }

        if (_children.ToDieCount > 0)
        {
            _pendingCreate = true;
        }
        else
        {
            FinishCreate();
        }
    }

    private void FinishCreate()
    {
        ClearFailed();
        Mailbox.Resume();
        Create();
    }

    private void Terminate()
    {
        if (_isTerminating)
        {
            return;
        }

        _isTerminating = true;
        AbortAwaitedTask();
        CancelReceiveTimeout();

        // No user message is processed from now on; what is left becomes dead letters when the mailbox closes.
        Mailbox.Suspend();
        foreach (var child in _children.StopAll(terminating: true))
        {
            child.Stop();
        }

        if (_children.ToDieCount == 0)
        {
            FinishTerminate();
        }
    }

    private void HandleChildTerminated()
    {
        if (_children.ToDieCount > 0)
        {
            return;
        }

        if (_isTerminating)
        {
            FinishTerminate();
        }
        else if (_pendingRecreate is { } cause)
        {
            _pendingRecreate = null;
            FinishRecreate(cause);
        }
        else if (_pendingCreate)
        {
            _pendingCreate = false;
            FinishCreate();
        }
    }

    /// <summary>All children are gone: PostStop, dead letters, watchers, parent — in that order (semantics item 18).</summary>
    private void FinishTerminate()
    {
        if (_isTerminated)
        {
            return;
        }

        _isTerminated = true;
        var actor = _actor;
        try
        {
            if (actor is not null)
            {
                _timers?.CancelAll();
                try
                {
                    actor.PostStopInternal();
                }
                catch (Exception e)
                {
                    LogMessages.PostStopFailed(_system.KernelLogger, e, _self.Path.ToString());
                }
                finally
                {
                    // Stashed messages go back to the mailbox, and from there to dead letters (semantics item 49).
                    _stash?.UnstashAll();
                }
            }
        }
        finally
        {
            Mailbox.Close();
            TellWatchersWeDied();
            UnwatchWatchedActors();
            _parent.SendSystemMessage(new DeathWatchNotification(_self, existenceConfirmed: true));
            _actor = null;
            _behaviors.Clear();
            _behavior = null;
            _stash = null;
            _timers = null;
            _current = default;
        }
    }
}
