using ActorSync.Actors.Dispatch;

namespace ActorSync.Actors.Internal;

internal sealed partial class ActorCell
{
    // Actors this one watches, with the custom message of WatchWith (null for Terminated).
    private Dictionary<IActorRef, object?>? _watching;

    // Actors watching this one.
    private HashSet<IInternalActorRef>? _watchedBy;

    // Terminated notifications queued in the mailbox but not processed yet; Unwatch moves them to the cancelled set.
    private Dictionary<IActorRef, object?>? _terminatedQueued;

    // Queued notifications cancelled by Unwatch: dropped when they come out of the mailbox (semantics item 35).
    private HashSet<IActorRef>? _terminatedCancelled;

    public IActorRef Watch(IActorRef subject) => WatchCore(subject, null);

    public IActorRef WatchWith(IActorRef subject, object message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return WatchCore(subject, message);
    }

    public IActorRef Unwatch(IActorRef subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        if (_watching is not null && _watching.Remove(subject) && subject is IInternalActorRef internalRef)
        {
            internalRef.SendSystemMessage(new Dispatch.Unwatch(internalRef, _self));
        }

        if (_terminatedQueued is not null && _terminatedQueued.Remove(subject))
        {
            (_terminatedCancelled ??= []).Add(subject);
        }

        return subject;
    }

    /// <summary>Re-arms delivery of a Terminated that was stashed, so it is delivered again when unstashed.</summary>
    public void TerminatedQueuedFor(IActorRef subject, object? customMessage) =>
        (_terminatedQueued ??= [])[subject] = customMessage;

    private IActorRef WatchCore(IActorRef subject, object? customMessage)
    {
        ArgumentNullException.ThrowIfNull(subject);
        if (subject.Equals(_self) || subject is not IInternalActorRef internalRef)
        {
            return subject;
        }

        _watching ??= [];
        if (!_watching.ContainsKey(subject))
        {
            _watching[subject] = customMessage;
            internalRef.SendSystemMessage(new Dispatch.Watch(internalRef, _self));
        }
        else
        {
            _watching[subject] = customMessage;
        }

        return subject;
    }

    private void AddWatcher(IInternalActorRef watchee, IInternalActorRef watcher)
    {
        if (watchee.Equals(_self) && !watcher.Equals(_self))
        {
            (_watchedBy ??= []).Add(watcher);
        }
    }

    private void RemoveWatcher(IInternalActorRef watchee, IInternalActorRef watcher)
    {
        if (watchee.Equals(_self))
        {
            _watchedBy?.Remove(watcher);
        }
    }

    private void WatchedActorTerminated(IActorRef actor, bool existenceConfirmed)
    {
        if (_watching is not null && _watching.Remove(actor, out var customMessage) && !_isTerminating)
        {
            // Delivered through the user queue, in order with other messages; the queued marker lets Unwatch cancel it.
            (_terminatedQueued ??= [])[actor] = customMessage;
            Mailbox.Post(new Envelope(new Terminated(actor, existenceConfirmed, addressTerminated: false), actor));
        }

        if (_children.Remove(actor))
        {
            HandleChildTerminated();
        }
    }

    private void HandleTerminatedMessage(Terminated terminated)
    {
        if (_terminatedQueued is null || !_terminatedQueued.Remove(terminated.ActorRef, out var customMessage))
        {
            if (_terminatedCancelled is not null && _terminatedCancelled.Remove(terminated.ActorRef))
            {
                // Unwatched after the notification was queued: dropped.
                return;
            }

            // Not a notification of our own watch (e.g. forwarded by another actor): an ordinary message.
            ReceiveMessage(terminated);
            return;
        }

        if (customMessage is null)
        {
            ReceiveMessage(terminated);
            return;
        }

        _current = new Envelope(customMessage, _current.Sender);
        ReceiveMessage(customMessage);
    }

    private void TellWatchersWeDied()
    {
        if (_watchedBy is null)
        {
            return;
        }

        foreach (var watcher in _watchedBy)
        {
            // The parent hears of it through its own notification below (FinishTerminate).
            if (!watcher.Equals(_parent))
            {
                watcher.SendSystemMessage(new DeathWatchNotification(_self, existenceConfirmed: true));
            }
        }

        _watchedBy = null;
    }

    private void UnwatchWatchedActors()
    {
        if (_watching is null)
        {
            return;
        }

        foreach (var subject in _watching.Keys)
        {
            if (subject is IInternalActorRef internalRef)
            {
                internalRef.SendSystemMessage(new Dispatch.Unwatch(internalRef, _self));
            }
        }

        _watching = null;
        _terminatedQueued = null;
        _terminatedCancelled = null;
    }
}
