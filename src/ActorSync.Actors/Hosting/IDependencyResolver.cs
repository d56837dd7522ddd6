namespace ActorSync.Actors.Hosting;

/// <summary>
/// Builds actors and services from the application's service provider, as Akka.DependencyInjection's resolver does.
/// Actors get their constructor parameters from the provider, plus the explicit arguments given.
/// </summary>
public interface IDependencyResolver
{
    /// <summary>A service from the provider, or <see langword="null"/>.</summary>
    /// <param name="type">The service type.</param>
    public object? GetService(Type type);

    /// <summary>A required service from the provider.</summary>
    /// <typeparam name="T">The service type.</typeparam>
    /// <exception cref="InvalidOperationException">The service is not registered.</exception>
    public T GetService<T>()
        where T : notnull;

    /// <summary>Props that build <typeparamref name="TActor"/> with constructor parameters from the provider and <paramref name="args"/>.</summary>
    /// <typeparam name="TActor">The actor type.</typeparam>
    /// <param name="args">Arguments not taken from the provider.</param>
    public Props Props<TActor>(params object[] args)
        where TActor : ActorBase;

    /// <summary>Props that build <paramref name="actorType"/> with constructor parameters from the provider and <paramref name="args"/>.</summary>
    /// <param name="actorType">The actor type.</param>
    /// <param name="args">Arguments not taken from the provider.</param>
    public Props Props(Type actorType, params object[] args);
}
