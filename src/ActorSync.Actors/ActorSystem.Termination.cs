using ActorSync.Actors.Internal;

namespace ActorSync.Actors;

public sealed partial class ActorSystem
{
    private readonly object _terminationLock = new();
    private readonly List<Action> _terminationCallbacks = [];
    private readonly TaskCompletionSource _whenTerminated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _finalTerminateStarted;
    private int _userGuardianTerminated;
    private bool _terminated;

    /// <summary>Whether the system terminated because a guardian escalated a failure (hosting turns this into a non-zero exit code).</summary>
    internal bool TerminatedByFatalFailure { get; private set; }

    /// <summary>Whether <see cref="FinalTerminate"/> has started, i.e. the actors are being stopped.</summary>
    internal bool IsTerminating => Volatile.Read(ref _finalTerminateStarted) != 0;

    /// <summary>Stops the actors: the user guardian's tree first, then the system guardian's (semantics item 66).</summary>
    internal void FinalTerminate()
    {
        if (Interlocked.Exchange(ref _finalTerminateStarted, 1) != 0)
        {
            return;
        }

        if (Volatile.Read(ref _userGuardianTerminated) != 0)
        {
            _systemGuardian.Stop();
        }
        else
        {
            _userGuardian.Stop();
        }
    }

    internal void OnGuardianFailed(IActorRef guardian, Exception cause)
    {
        LogMessages.GuardianFailed(KernelLogger, cause, guardian.Path.ToString(), Name);
        TerminatedByFatalFailure = true;
        ((IInternalActorRef)guardian).Stop();
    }

    internal void OnGuardianTerminated(IActorRef guardian)
    {
        if (guardian.Equals(_userGuardian))
        {
            Interlocked.Exchange(ref _userGuardianTerminated, 1);
            if (IsTerminating)
            {
                _systemGuardian.Stop();
            }
            else
            {
                // The user guardian stopped on its own (it escalated): the whole system goes (semantics item 32).
                _ = Terminate();
            }
        }
        else if (guardian.Equals(_systemGuardian))
        {
            if (Volatile.Read(ref _userGuardianTerminated) == 0)
            {
                _userGuardian.Stop();
                return;
            }

            CompleteTermination();
        }
    }

    private void CompleteTermination()
    {
        _scheduler.Shutdown();
        Action[] callbacks;
        lock (_terminationLock)
        {
            if (_terminated)
            {
                return;
            }

            _terminated = true;
            callbacks = [.. _terminationCallbacks];
            _terminationCallbacks.Clear();
        }

        // Last registered runs first (semantics item 67).
        for (var i = callbacks.Length - 1; i >= 0; i--)
        {
            try
            {
                callbacks[i]();
            }
            catch (Exception e)
            {
                LogMessages.TerminationCallbackFailed(KernelLogger, e, Name);
            }
        }

        _whenTerminated.TrySetResult();
    }
}
