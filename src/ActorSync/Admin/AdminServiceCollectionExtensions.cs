using ActorSync.Configuration;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ActorSync.Admin;

/// <summary>Registers what <see cref="AdminEndpoints.MapActorSyncAdmin"/> needs; the engine comes from <c>AddActorSyncEngine</c>.</summary>
public static class AdminServiceCollectionExtensions
{
    public const string LiveTag = "live";

    public static IServiceCollection AddActorSyncAdmin(this IServiceCollection services, ActorSyncConfiguration configuration)
    {
        services.AddSingleton<AdminEngine>();
        services.AddSingleton(provider => new AdminAccess(configuration.Options.Admin, provider.GetService<IServer>()));
        services.AddHealthChecks()
            .AddCheck(LiveTag, () => HealthCheckResult.Healthy("the process is up"), tags: [LiveTag])
            .AddCheck<ReadinessHealthCheck>(ReadinessHealthCheck.Tag, tags: [ReadinessHealthCheck.Tag]);
        return services;
    }
}
