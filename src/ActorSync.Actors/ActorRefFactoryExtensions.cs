namespace ActorSync.Actors;

/// <summary>Shortcuts on <see cref="IActorRefFactory"/>.</summary>
public static class ActorRefFactoryExtensions
{
    /// <summary>Creates an actor of type <typeparamref name="TActor"/> with its parameterless constructor.</summary>
    /// <typeparam name="TActor">The actor type.</typeparam>
    /// <param name="factory">The system or context.</param>
    /// <param name="name">A unique name among its siblings; generated when <see langword="null"/>.</param>
    public static IActorRef ActorOf<TActor>(this IActorRefFactory factory, string? name = null)
        where TActor : ActorBase, new()
    {
        ArgumentNullException.ThrowIfNull(factory);
        return factory.ActorOf(Props.Create<TActor>(), name);
    }
}
