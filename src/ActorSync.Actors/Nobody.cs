using ActorSync.Actors.Dispatch;
using ActorSync.Actors.Internal;

namespace ActorSync.Actors;

/// <summary>A reference that points to no actor. Messages sent to it are dropped; watching it yields <see cref="Terminated"/> at once.</summary>
public sealed class Nobody : IActorRef, IInternalActorRef
{
    /// <summary>The single instance.</summary>
    public static readonly Nobody Instance = new();

    private Nobody()
    {
        Path = ActorPath.CreateRoot(new Address("akka", "all-systems")) / "Nobody";
    }

    /// <inheritdoc />
    public ActorPath Path { get; }

    ActorSystem? IInternalActorRef.System => null;

    bool IInternalActorRef.IsTerminated => true;

    IInternalActorRef? IInternalActorRef.Parent => null;

    /// <inheritdoc />
    public void Tell(object message, IActorRef? sender)
    {
        // Nobody drops everything, as Akka.NET's Nobody does.
    }

    void IInternalActorRef.SendSystemMessage(SystemMessage message) => DeadSystemMessages.Handle(this, message);

    void IInternalActorRef.Stop()
    {
    }

    /// <inheritdoc />
    public bool Equals(IActorRef? other) => ReferenceEquals(this, other);

    /// <inheritdoc />
    public override bool Equals(object? obj) => ReferenceEquals(this, obj);

    /// <inheritdoc />
    public override int GetHashCode() => Path.GetHashCode();

    /// <inheritdoc />
    public int CompareTo(IActorRef? other) => ActorRefComparison.Compare(this, other);

    /// <inheritdoc />
    public int CompareTo(object? obj) => ActorRefComparison.Compare(this, obj as IActorRef);

    /// <inheritdoc />
    public override string ToString() => "Nobody";
}
