namespace ActorSync.Actors.Hosting;

/// <summary>
/// The actor registered under <typeparamref name="TKey"/>, injectable into services without any registration of its
/// own. It is looked up when constructed; construction fails with <see cref="MissingActorRegistryEntryException"/>
/// when nothing is registered (e.g. before the host has started).
/// </summary>
/// <typeparam name="TKey">The registry key.</typeparam>
public interface IRequiredActor<TKey>
{
    /// <summary>The actor.</summary>
    public IActorRef ActorRef { get; }

    /// <summary>The actor, as a task.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    public Task<IActorRef> GetAsync(CancellationToken cancellationToken = default);
}

/// <summary>The default <see cref="IRequiredActor{TKey}"/>, resolved from the <see cref="ActorRegistry"/>.</summary>
/// <typeparam name="TKey">The registry key.</typeparam>
public sealed class RequiredActor<TKey> : IRequiredActor<TKey>
{
    /// <summary>Looks up the actor.</summary>
    /// <param name="registry">The registry.</param>
    /// <exception cref="MissingActorRegistryEntryException">Nothing is registered under <typeparamref name="TKey"/>.</exception>
    public RequiredActor(IReadOnlyActorRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ActorRef = registry.Get<TKey>();
    }

    /// <inheritdoc />
    public IActorRef ActorRef { get; }

    /// <inheritdoc />
    public Task<IActorRef> GetAsync(CancellationToken cancellationToken = default) =>
        cancellationToken.IsCancellationRequested ? Task.FromCanceled<IActorRef>(cancellationToken) : Task.FromResult(ActorRef);
}
