using System.Collections.Concurrent;

namespace ActorSync.Actors;

public sealed partial class ActorSystem
{
    private readonly ConcurrentDictionary<Type, Lazy<object>> _extensions = new();

    /// <summary>The one instance of <typeparamref name="T"/> for this system, created on first use.</summary>
    internal T GetOrAddExtension<T>(Func<ActorSystem, T> factory)
        where T : class =>
        (T)_extensions.GetOrAdd(typeof(T), _ => new Lazy<object>(() => factory(this))).Value;
}
