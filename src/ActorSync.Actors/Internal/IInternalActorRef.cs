using ActorSync.Actors.Dispatch;

namespace ActorSync.Actors.Internal;

/// <summary>What the kernel needs of a reference beyond <see cref="IActorRef"/>: the system channel and lifecycle.</summary>
internal interface IInternalActorRef : IActorRef
{
    public ActorSystem? System { get; }

    public bool IsTerminated { get; }

    public IInternalActorRef? Parent { get; }

    public void SendSystemMessage(SystemMessage message);

    public void Stop();
}

/// <summary>Ordering of references: by path, then by incarnation.</summary>
internal static class ActorRefComparison
{
    public static int Compare(IActorRef self, IActorRef? other)
    {
        if (other is null)
        {
            return 1;
        }

        var byPath = self.Path.CompareTo(other.Path);
        return byPath != 0 ? byPath : self.Path.Uid.CompareTo(other.Path.Uid);
    }
}

/// <summary>What happens to a system message sent to a reference that is (or has become) dead.</summary>
internal static class DeadSystemMessages
{
    public static void Handle(IInternalActorRef deadRef, SystemMessage message)
    {
        // Watching a dead actor still yields exactly one Terminated (semantics item 33).
        if (message is Watch watch && !watch.Watcher.Equals(deadRef))
        {
            watch.Watcher.SendSystemMessage(new DeathWatchNotification(watch.Watchee, existenceConfirmed: false));
        }
    }
}

/// <summary>Base of the kernel's references: equality by path and incarnation.</summary>
internal abstract class ActorRefBase : IInternalActorRef
{
    public abstract ActorPath Path { get; }

    public abstract ActorSystem? System { get; }

    public abstract bool IsTerminated { get; }

    public abstract IInternalActorRef? Parent { get; }

    public abstract void Tell(object message, IActorRef? sender);

    public abstract void SendSystemMessage(SystemMessage message);

    public virtual void Stop()
    {
    }

    public bool Equals(IActorRef? other) =>
        ReferenceEquals(this, other) || (other is not null && Path.Uid == other.Path.Uid && Path.Equals(other.Path));

    public override bool Equals(object? obj) => Equals(obj as IActorRef);

    public override int GetHashCode() => Path.GetHashCode() ^ Path.Uid.GetHashCode();

    public int CompareTo(IActorRef? other) => ActorRefComparison.Compare(this, other);

    public int CompareTo(object? obj) => ActorRefComparison.Compare(this, obj as IActorRef);

    public override string ToString() => Path.Uid == 0 ? $"[{Path}]" : $"[{Path}#{Path.Uid}]";
}
