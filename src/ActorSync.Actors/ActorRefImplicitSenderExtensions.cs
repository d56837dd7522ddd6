using ActorSync.Actors.Internal;

namespace ActorSync.Actors;

/// <summary>
/// <c>Tell</c> and <c>Forward</c> with the implicit sender: inside an actor the sender is <c>Self</c>, outside it is
/// <see cref="ActorRefs.NoSender"/>.
/// </summary>
public static class ActorRefImplicitSenderExtensions
{
    /// <summary>Sends <paramref name="message"/> with the current actor (if any) as sender.</summary>
    /// <param name="receiver">The receiver.</param>
    /// <param name="message">The message.</param>
    public static void Tell(this IActorRef receiver, object message)
    {
        ArgumentNullException.ThrowIfNull(receiver);
        receiver.Tell(message, ActorCell.Current?.Self ?? ImplicitSender.Value);
    }

    /// <summary>Sends <paramref name="message"/> keeping the current message's sender.</summary>
    /// <param name="receiver">The receiver.</param>
    /// <param name="message">The message.</param>
    public static void Forward(this IActorRef receiver, object message)
    {
        ArgumentNullException.ThrowIfNull(receiver);
        receiver.Tell(message, ActorCell.Current?.CurrentSender);
    }
}

/// <summary>Helpers on <see cref="IActorRef"/>.</summary>
public static class ActorRefExtensions
{
    /// <summary>Whether <paramref name="actorRef"/> is <see langword="null"/> or <see cref="ActorRefs.Nobody"/>.</summary>
    /// <param name="actorRef">The reference.</param>
    public static bool IsNobody(this IActorRef? actorRef) => actorRef is null || actorRef is Nobody;
}
