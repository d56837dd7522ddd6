namespace ActorSync.Actors;

/// <summary>Something a message can be sent to: an actor reference, or anything else that accepts a <see cref="Tell"/>.</summary>
public interface ICanTell
{
    /// <summary>Sends <paramref name="message"/> without waiting for it to be processed.</summary>
    /// <param name="message">The message; it must not be <see langword="null"/>.</param>
    /// <param name="sender">The sender the receiver sees as <c>Sender</c>; <see cref="ActorRefs.NoSender"/> for none.</param>
    /// <exception cref="InvalidMessageException"><paramref name="message"/> is <see langword="null"/>.</exception>
    public void Tell(object message, IActorRef? sender);
}

/// <summary>
/// An immutable, thread-safe handle to an actor. It stays valid across restarts of the actor; after the actor stops,
/// messages sent to it become dead letters. Two references are equal when they point to the same incarnation.
/// </summary>
public interface IActorRef : ICanTell, IEquatable<IActorRef>, IComparable<IActorRef>, IComparable
{
    /// <summary>The actor's path, e.g. <c>akka://MySystem/user/parent/child</c>.</summary>
    public ActorPath Path { get; }
}
