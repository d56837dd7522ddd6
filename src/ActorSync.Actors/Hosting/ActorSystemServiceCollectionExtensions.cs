using ActorSync.Actors.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ActorSync.Actors.Hosting;

/// <summary>Runs an <see cref="ActorSystem"/> in a Generic Host, as Akka.Hosting's <c>AddAkka</c> does.</summary>
public static class ActorSystemServiceCollectionExtensions
{
    /// <summary>
    /// Adds an actor system that starts with the host (running the builder's startup steps) and shuts down with it
    /// (running <see cref="CoordinatedShutdown"/>). Registers <see cref="ActorSystem"/>, <see cref="ActorRegistry"/>
    /// (also as <see cref="IActorRegistry"/> and <see cref="IReadOnlyActorRegistry"/>) and <see cref="IRequiredActor{TKey}"/>.
    /// If the system terminates on its own, the host is stopped, with exit code 1 after a fatal failure.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="actorSystemName">The system's name.</param>
    /// <param name="builder">Configures the system; gets the service provider.</param>
    public static IServiceCollection AddActorSystem(this IServiceCollection services, string actorSystemName, Action<ActorSystemBuilder, IServiceProvider> builder)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrEmpty(actorSystemName);
        ArgumentNullException.ThrowIfNull(builder);
        services.AddSingleton(provider =>
        {
            var configured = new ActorSystemBuilder(actorSystemName);
            builder(configured, provider);
            return configured;
        });
        services.AddSingleton(provider =>
        {
            var configured = provider.GetRequiredService<ActorSystemBuilder>();
            var loggerFactory = provider.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance;
            var settings = configured.BuildSettings(ActorSystemSettings.Default with { LoggerFactory = loggerFactory });
            return ActorSystem.Create(actorSystemName, settings);
        });
        services.AddSingleton(provider => ActorRegistry.For(provider.GetRequiredService<ActorSystem>()));
        services.AddSingleton<IActorRegistry>(provider => provider.GetRequiredService<ActorRegistry>());
        services.AddSingleton<IReadOnlyActorRegistry>(provider => provider.GetRequiredService<ActorRegistry>());
        services.AddTransient(typeof(IRequiredActor<>), typeof(RequiredActor<>));
        services.AddHostedService<ActorSystemHostedService>();
        return services;
    }

    /// <summary>As <see cref="AddActorSystem(IServiceCollection, string, Action{ActorSystemBuilder, IServiceProvider})"/>, without the provider.</summary>
    /// <param name="services">The services.</param>
    /// <param name="actorSystemName">The system's name.</param>
    /// <param name="builder">Configures the system.</param>
    public static IServiceCollection AddActorSystem(this IServiceCollection services, string actorSystemName, Action<ActorSystemBuilder> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return services.AddActorSystem(actorSystemName, (configured, _) => builder(configured));
    }

    /// <summary>Akka.Hosting's name for <see cref="AddActorSystem(IServiceCollection, string, Action{ActorSystemBuilder, IServiceProvider})"/>.</summary>
    /// <param name="services">The services.</param>
    /// <param name="actorSystemName">The system's name.</param>
    /// <param name="builder">Configures the system; gets the service provider.</param>
    public static IServiceCollection AddAkka(this IServiceCollection services, string actorSystemName, Action<ActorSystemBuilder, IServiceProvider> builder) =>
        services.AddActorSystem(actorSystemName, builder);
}
