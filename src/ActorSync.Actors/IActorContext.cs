namespace ActorSync.Actors;

/// <summary>Creates actors: an <see cref="ActorSystem"/> (top-level actors) or an <see cref="IActorContext"/> (children).</summary>
public interface IActorRefFactory
{
    /// <summary>Creates an actor and returns its reference at once; the actor starts asynchronously.</summary>
    /// <param name="props">How to build the actor.</param>
    /// <param name="name">A unique name among its siblings; generated when <see langword="null"/>.</param>
    /// <exception cref="InvalidActorNameException">The name is malformed or taken by a live sibling.</exception>
    /// <exception cref="InvalidOperationException">The parent is terminating.</exception>
    public IActorRef ActorOf(Props props, string? name = null);
}

/// <summary>Watches other actors for termination.</summary>
public interface ICanWatch
{
    /// <summary>
    /// Watches <paramref name="subject"/>: exactly one <see cref="Terminated"/> arrives when it stops, also when it is
    /// already dead.
    /// </summary>
    /// <param name="subject">The actor to watch.</param>
    /// <returns><paramref name="subject"/>.</returns>
    public IActorRef Watch(IActorRef subject);

    /// <summary>Watches <paramref name="subject"/>, delivering <paramref name="message"/> instead of <see cref="Terminated"/>.</summary>
    /// <param name="subject">The actor to watch.</param>
    /// <param name="message">The message to receive when it stops.</param>
    /// <returns><paramref name="subject"/>.</returns>
    public IActorRef WatchWith(IActorRef subject, object message);

    /// <summary>Stops watching; a termination notification not yet processed is discarded.</summary>
    /// <param name="subject">The actor to stop watching.</param>
    /// <returns><paramref name="subject"/>.</returns>
    public IActorRef Unwatch(IActorRef subject);
}

/// <summary>
/// What an actor sees of itself and its surroundings while it handles a message. Only valid on the actor's own
/// execution: inside a handler, a lifecycle hook, the constructor, or after an <c>await</c> in an async handler.
/// </summary>
public interface IActorContext : IActorRefFactory, ICanWatch
{
    /// <summary>This actor's reference.</summary>
    public IActorRef Self { get; }

    /// <summary>The sender of the current message; the system's dead letters when there is none, never <see langword="null"/>.</summary>
    public IActorRef Sender { get; }

    /// <summary>This actor's parent.</summary>
    public IActorRef Parent { get; }

    /// <summary>The <see cref="Props"/> this actor was created from.</summary>
    public Props Props { get; }

    /// <summary>The system this actor belongs to.</summary>
    public ActorSystem System { get; }

    /// <summary>The live children, including ones that are stopping but not yet reported terminated.</summary>
    public IEnumerable<IActorRef> Children { get; }

    /// <summary>The receive timeout currently set, if any.</summary>
    public TimeSpan? ReceiveTimeout { get; }

    /// <summary>The live children (same as <see cref="Children"/>).</summary>
    public IEnumerable<IActorRef> GetChildren();

    /// <summary>The child with the given name, or <see cref="ActorRefs.Nobody"/>.</summary>
    /// <param name="name">The child's name.</param>
    public IActorRef Child(string name);

    /// <summary>Stops a child or this actor (asynchronously); the parent learns of it through <see cref="Terminated"/> if it watches.</summary>
    /// <param name="child">The actor to stop.</param>
    public void Stop(IActorRef child);

    /// <summary>Replaces the current behaviour with <paramref name="receive"/>.</summary>
    /// <param name="receive">The new behaviour.</param>
    public void Become(Receive receive);

    /// <summary>Pushes <paramref name="receive"/> on the behaviour stack.</summary>
    /// <param name="receive">The new behaviour.</param>
    public void BecomeStacked(Receive receive);

    /// <summary>Pops the behaviour stack; the initial behaviour is never popped.</summary>
    public void UnbecomeStacked();

    /// <summary>
    /// Sends <see cref="Actors.ReceiveTimeout"/> after <paramref name="timeout"/> without messages, and again after every
    /// further idle period; <see langword="null"/> turns it off.
    /// </summary>
    /// <param name="timeout">The idle period, or <see langword="null"/>.</param>
    public void SetReceiveTimeout(TimeSpan? timeout);
}

/// <summary>The context of an <see cref="UntypedActor"/>, which can also become an <see cref="UntypedReceive"/>.</summary>
public interface IUntypedActorContext : IActorContext
{
    /// <summary>Replaces the current behaviour.</summary>
    /// <param name="receive">The new behaviour.</param>
    public void Become(UntypedReceive receive);

    /// <summary>Pushes a behaviour on the stack.</summary>
    /// <param name="receive">The new behaviour.</param>
    public void BecomeStacked(UntypedReceive receive);
}
