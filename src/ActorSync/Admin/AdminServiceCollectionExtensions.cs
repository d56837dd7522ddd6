using ActorSync.Configuration;
using ActorSync.Metrics;
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
        services.AddSingleton(provider =>
        {
            var exporter = new PrometheusExporter(
                provider.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), provider.GetRequiredService<ActorSyncMetrics>());
            SeedSeries(exporter, configuration);
            return exporter;
        });
        services.AddHealthChecks()
            .AddCheck(LiveTag, () => HealthCheckResult.Healthy("the process is up"), tags: [LiveTag])
            .AddCheck<ReadinessHealthCheck>(ReadinessHealthCheck.Tag, tags: [ReadinessHealthCheck.Tag]);
        return services;
    }

    // Every configured sync and listener has its counters and its apply histogram from the first scrape, at zero.
    private static void SeedSeries(PrometheusExporter exporter, ActorSyncConfiguration configuration)
    {
        foreach (var sync in configuration.Syncs)
        {
            var tag = new KeyValuePair<string, object?>("sync", sync.Name);
            exporter.Seed("actorsync_rows_applied_total", tag);
            exporter.Seed("actorsync_batches_total", tag);
            exporter.Seed("actorsync_restarts_total", tag);
            exporter.Seed("actorsync_apply_seconds", tag);
        }

        foreach (var database in configuration.Syncs.Select(s => s.Source.Database).Distinct(StringComparer.Ordinal))
        {
            exporter.Seed("actorsync_listener_reconnects_total", new KeyValuePair<string, object?>("database", database));
        }
    }
}
