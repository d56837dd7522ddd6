using ActorSync.Actors.Dispatch;

namespace ActorSync.Actors.Internal;

/// <summary>
/// A temporary reference backed by callbacks, used where the kernel needs a watcher or receiver outside any actor
/// (<c>GracefulStop</c>, <c>WatchAsync</c>).
/// </summary>
internal sealed class FunctionRef(ActorSystem system, ActorPath path, Action<object, IActorRef?>? onMessage, Action<IActorRef>? onTerminated)
    : ActorRefBase
{
    private int _stopped;

    public override ActorPath Path { get; } = path;

    public override ActorSystem System { get; } = system;

    public override bool IsTerminated => Volatile.Read(ref _stopped) != 0;

    public override IInternalActorRef? Parent => null;

    public override void Tell(object message, IActorRef? sender)
    {
        if (IsTerminated || onMessage is null)
        {
            System.PublishDeadLetter(message, sender, this);
            return;
        }

        onMessage(message, sender);
    }

    public override void SendSystemMessage(SystemMessage message)
    {
        if (message is DeathWatchNotification notification && !IsTerminated)
        {
            onTerminated?.Invoke(notification.Actor);
            return;
        }

        DeadSystemMessages.Handle(this, message);
    }

    public void Watch(IInternalActorRef subject) => subject.SendSystemMessage(new Watch(subject, this));

    public void Unwatch(IInternalActorRef subject) => subject.SendSystemMessage(new Unwatch(subject, this));

    public override void Stop() => Interlocked.Exchange(ref _stopped, 1);
}
