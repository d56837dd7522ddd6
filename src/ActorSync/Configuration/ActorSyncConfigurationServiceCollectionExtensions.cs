using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ActorSync.Configuration;

/// <summary>Registers <see cref="ActorSyncOptions"/> with the options pipeline, bound and validated as <see cref="ActorSyncConfiguration.Load"/> does.</summary>
public static class ActorSyncConfigurationServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="ActorSyncOptions"/> from <paramref name="configuration"/>'s <c>actorsync</c> section with
    /// ActorSync's binder (kebab-case keys, HOCON durations) and validates it on start with
    /// <see cref="ActorSyncOptionsValidator"/>; an invalid configuration fails start-up with every problem listed.
    /// </summary>
    public static IServiceCollection AddActorSyncOptions(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<ActorSyncOptions>()
            .Configure(options =>
            {
                var bound = ActorSyncOptionsBinder.Bind(new ConfigurationContext(configuration, "configuration"));
                options.Databases = bound.Databases;
                options.Defaults = bound.Defaults;
                options.Admin = bound.Admin;
                options.Syncs = bound.Syncs;
            })
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<ActorSyncOptions>>(new ActorSyncOptionsValidator(configuration));
        return services;
    }
}
