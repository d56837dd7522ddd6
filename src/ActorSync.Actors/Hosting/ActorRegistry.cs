using System.Collections;
using System.Collections.Concurrent;

namespace ActorSync.Actors.Hosting;

/// <summary>Looks up actors registered under key types.</summary>
public interface IReadOnlyActorRegistry
{
    /// <summary>The actor registered under <typeparamref name="TKey"/>.</summary>
    /// <typeparam name="TKey">The key type.</typeparam>
    /// <exception cref="MissingActorRegistryEntryException">Nothing is registered under the key.</exception>
    public IActorRef Get<TKey>();

    /// <summary>The actor registered under <typeparamref name="TKey"/>, or <see cref="ActorRefs.Nobody"/>.</summary>
    /// <typeparam name="TKey">The key type.</typeparam>
    /// <param name="actor">The actor, or <see cref="ActorRefs.Nobody"/> when missing.</param>
    public bool TryGet<TKey>(out IActorRef actor);

    /// <summary>The actor registered under <paramref name="key"/>, or <see cref="ActorRefs.Nobody"/>.</summary>
    /// <param name="key">The key type.</param>
    /// <param name="actor">The actor, or <see cref="ActorRefs.Nobody"/> when missing.</param>
    public bool TryGet(Type key, out IActorRef actor);

    /// <summary>Completes with the actor registered under <typeparamref name="TKey"/>, once it is registered.</summary>
    /// <typeparam name="TKey">The key type.</typeparam>
    /// <param name="cancellationToken">Cancels the wait.</param>
    public Task<IActorRef> GetAsync<TKey>(CancellationToken cancellationToken = default);
}

/// <summary>Registers actors under key types, so that services can find them (see <see cref="IRequiredActor{TKey}"/>).</summary>
public interface IActorRegistry : IReadOnlyActorRegistry
{
    /// <summary>Registers <paramref name="actor"/> under <typeparamref name="TKey"/>.</summary>
    /// <typeparam name="TKey">The key type.</typeparam>
    /// <param name="actor">The actor.</param>
    /// <param name="overwrite">Whether to replace an existing entry.</param>
    /// <returns><see langword="false"/> (and no change) when the key exists and <paramref name="overwrite"/> is false, or the actor is null.</returns>
    public bool TryRegister<TKey>(IActorRef actor, bool overwrite = false);

    /// <summary>Registers <paramref name="actor"/> under <paramref name="key"/>.</summary>
    /// <param name="key">The key type.</param>
    /// <param name="actor">The actor.</param>
    /// <param name="overwrite">Whether to replace an existing entry.</param>
    /// <returns><see langword="false"/> (and no change) when the key exists and <paramref name="overwrite"/> is false, or the actor is null.</returns>
    public bool TryRegister(Type key, IActorRef actor, bool overwrite = false);

    /// <summary>Registers <paramref name="actor"/> under <typeparamref name="TKey"/>.</summary>
    /// <typeparam name="TKey">The key type.</typeparam>
    /// <param name="actor">The actor.</param>
    /// <param name="overwrite">Whether to replace an existing entry.</param>
    /// <exception cref="ArgumentNullException"><paramref name="actor"/> is null.</exception>
    /// <exception cref="DuplicateActorRegistryException">The key exists and <paramref name="overwrite"/> is false.</exception>
    public void Register<TKey>(IActorRef actor, bool overwrite = false);
}

/// <summary>
/// A thread-safe map from key types to actors, one per <see cref="ActorSystem"/> (<see cref="For"/>); it is the same
/// instance that dependency injection hands out.
/// </summary>
public sealed class ActorRegistry : IActorRegistry, IEnumerable<KeyValuePair<Type, IActorRef>>
{
    private readonly object _lock = new();
    private readonly ConcurrentDictionary<Type, IActorRef> _actors = new();
    private readonly Dictionary<Type, List<TaskCompletionSource<IActorRef>>> _waiting = [];

    private ActorRegistry()
    {
    }

    /// <summary>The registry of <paramref name="actorSystem"/>.</summary>
    /// <param name="actorSystem">The system.</param>
    public static ActorRegistry For(ActorSystem actorSystem)
    {
        ArgumentNullException.ThrowIfNull(actorSystem);
        return actorSystem.GetOrAddExtension(static _ => new ActorRegistry());
    }

    /// <inheritdoc />
    public bool TryRegister<TKey>(IActorRef actor, bool overwrite = false) => TryRegister(typeof(TKey), actor, overwrite);

    /// <inheritdoc />
    public bool TryRegister(Type key, IActorRef actor, bool overwrite = false)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (actor is null)
        {
            return false;
        }

        List<TaskCompletionSource<IActorRef>>? waiting;
        lock (_lock)
        {
            if (!overwrite && _actors.ContainsKey(key))
            {
                return false;
            }

            _actors[key] = actor;
            _waiting.Remove(key, out waiting);
        }

        foreach (var waiter in waiting ?? [])
        {
            waiter.TrySetResult(actor);
        }

        return true;
    }

    /// <inheritdoc />
    public void Register<TKey>(IActorRef actor, bool overwrite = false)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!TryRegister<TKey>(actor, overwrite))
        {
            throw new DuplicateActorRegistryException(
                $"An actor is already registered under {typeof(TKey)}: {_actors.GetValueOrDefault(typeof(TKey))}. Pass overwrite: true to replace it.");
        }
    }

    /// <inheritdoc />
    public IActorRef Get<TKey>() =>
        TryGet<TKey>(out var actor)
            ? actor
            : throw new MissingActorRegistryEntryException($"No actor is registered under {typeof(TKey)}; register one in WithActors(...).");

    /// <inheritdoc />
    public bool TryGet<TKey>(out IActorRef actor) => TryGet(typeof(TKey), out actor);

    /// <inheritdoc />
    public bool TryGet(Type key, out IActorRef actor)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (_actors.TryGetValue(key, out var found))
        {
            actor = found;
            return true;
        }

        actor = ActorRefs.Nobody;
        return false;
    }

    /// <inheritdoc />
    public Task<IActorRef> GetAsync<TKey>(CancellationToken cancellationToken = default)
    {
        TaskCompletionSource<IActorRef> waiter;
        lock (_lock)
        {
            if (_actors.TryGetValue(typeof(TKey), out var actor))
            {
                return Task.FromResult(actor);
            }

            waiter = new TaskCompletionSource<IActorRef>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (!_waiting.TryGetValue(typeof(TKey), out var list))
            {
                _waiting[typeof(TKey)] = list = [];
            }

            list.Add(waiter);
        }

        return waiter.Task.WaitAsync(cancellationToken);
    }

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<Type, IActorRef>> GetEnumerator() => _actors.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
