namespace ActorSync.Actors;

/// <summary>Well-known references.</summary>
public static class ActorRefs
{
    /// <summary>The reference to pass as sender when there is none. It is <see langword="null"/>, as in Akka.NET.</summary>
    public static readonly IActorRef? NoSender;

    /// <summary>A reference that points to no actor: messages sent to it are dropped.</summary>
    public static readonly IActorRef Nobody = Actors.Nobody.Instance;
}
