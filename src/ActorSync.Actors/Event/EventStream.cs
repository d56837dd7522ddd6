using ActorSync.Actors.Internal;

namespace ActorSync.Actors.Event;

/// <summary>
/// The system's publish-subscribe channel. A subscriber receives every published event that is an instance of a type
/// it subscribed to (subclasses included), once per event. Stopped subscribers are removed automatically.
/// </summary>
public sealed class EventStream
{
    private readonly object _lock = new();
    private Subscription[] _subscriptions = [];

    /// <summary>Subscribes <paramref name="subscriber"/> to events of type <paramref name="channel"/>.</summary>
    /// <param name="subscriber">The subscriber.</param>
    /// <param name="channel">The event type.</param>
    /// <returns><see langword="false"/> if it was already subscribed to that type.</returns>
    public bool Subscribe(IActorRef subscriber, Type channel)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        ArgumentNullException.ThrowIfNull(channel);
        lock (_lock)
        {
            if (_subscriptions.Any(s => s.Subscriber.Equals(subscriber) && s.Channel == channel))
            {
                return false;
            }

            _subscriptions = [.. _subscriptions, new Subscription(subscriber, channel)];
            return true;
        }
    }

    /// <summary>Unsubscribes <paramref name="subscriber"/> from <paramref name="channel"/>.</summary>
    /// <param name="subscriber">The subscriber.</param>
    /// <param name="channel">The event type.</param>
    /// <returns>Whether it was subscribed.</returns>
    public bool Unsubscribe(IActorRef subscriber, Type channel)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        ArgumentNullException.ThrowIfNull(channel);
        return RemoveWhere(s => s.Subscriber.Equals(subscriber) && s.Channel == channel);
    }

    /// <summary>Unsubscribes <paramref name="subscriber"/> from everything.</summary>
    /// <param name="subscriber">The subscriber.</param>
    /// <returns>Whether it was subscribed to anything.</returns>
    public bool Unsubscribe(IActorRef subscriber)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        return RemoveWhere(s => s.Subscriber.Equals(subscriber));
    }

    /// <summary>Publishes <paramref name="event"/> to every matching subscriber.</summary>
    /// <param name="event">The event.</param>
    public void Publish(object @event)
    {
        ArgumentNullException.ThrowIfNull(@event);
        var subscriptions = Volatile.Read(ref _subscriptions);
        IActorRef? first = null;
        HashSet<IActorRef>? delivered = null;
        var sawDead = false;
        foreach (var subscription in subscriptions)
        {
            if (!subscription.Channel.IsInstanceOfType(@event))
            {
                continue;
            }

            var subscriber = subscription.Subscriber;
            if (subscriber is IInternalActorRef { IsTerminated: true })
            {
                sawDead = true;
                continue;
            }

            // Once per subscriber, even when it subscribed to several matching types.
            if (first is null)
            {
                first = subscriber;
            }
            else if (first.Equals(subscriber) || !(delivered ??= [first]).Add(subscriber))
            {
                continue;
            }

            subscriber.Tell(@event, null);
        }

        if (sawDead)
        {
            RemoveWhere(s => s.Subscriber is IInternalActorRef { IsTerminated: true });
        }
    }

    private bool RemoveWhere(Func<Subscription, bool> predicate)
    {
        lock (_lock)
        {
            var kept = _subscriptions.Where(s => !predicate(s)).ToArray();
            var removed = kept.Length != _subscriptions.Length;
            _subscriptions = kept;
            return removed;
        }
    }

    private sealed record Subscription(IActorRef Subscriber, Type Channel);
}
