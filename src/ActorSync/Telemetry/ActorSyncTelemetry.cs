using System.Diagnostics.Metrics;
using ActorSync.Configuration;
using ActorSync.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace ActorSync.Telemetry;

/// <summary>
/// Metrics and traces through the OpenTelemetry SDK (issue 21): ActorSync's meter and activity source, Npgsql's and
/// ASP.NET Core's, scraped at <c>GET /metrics</c> when the admin endpoint is on and pushed over OTLP when
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (or a per-signal endpoint) is set. Without an exporter no tracer provider listens,
/// so <see cref="ActorSyncActivities"/> starts no activity and costs a null check.
/// </summary>
public static class ActorSyncTelemetry
{
    public const string ServiceName = "actorsync";

    /// <summary>The variables that turn OTLP export on: the standard ones, any signal.</summary>
    public static readonly string[] OtlpEndpointVariables =
        ["OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"];

    // Npgsql's meter (Npgsql.OpenTelemetry's AddNpgsqlInstrumentation adds it) and ASP.NET Core's own meters.
    private static readonly string[] AspNetCoreMeters =
        ["Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.Http.Connections", "Microsoft.AspNetCore.Routing"];

    /// <summary>
    /// ActorSync's instruments on the host's <see cref="IMeterFactory"/>, every configured sync's counters at zero.
    /// </summary>
    public static IServiceCollection AddActorSyncMetrics(this IServiceCollection services, ActorSyncConfiguration configuration)
    {
        services.AddMetrics();
        services.AddSingleton(provider =>
        {
            var metrics = new ActorSyncMetrics(provider.GetRequiredService<IMeterFactory>());
            metrics.Seed(
                configuration.Syncs.Select(s => s.Name), configuration.Syncs.Select(s => s.Source.Database).Distinct(StringComparer.Ordinal));
            return metrics;
        });
        return services;
    }

    public static bool OtlpConfigured(IConfiguration configuration) =>
        OtlpEndpointVariables.Any(name => !string.IsNullOrWhiteSpace(configuration[name]));

    /// <summary>
    /// Registers the SDK. <paramref name="prometheus"/>: serve <c>GET /metrics</c> (the admin endpoint maps it).
    /// Without Prometheus and without OTLP nothing is registered at all: no listener, no cost.
    /// </summary>
    public static IServiceCollection AddActorSyncTelemetry(this IServiceCollection services, IConfiguration configuration, bool prometheus)
    {
        var otlp = OtlpConfigured(configuration);
        if (!prometheus && !otlp)
        {
            return services;
        }

        var instance = Guid.NewGuid().ToString();
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName, serviceInstanceId: instance))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(ActorSyncMetrics.MeterName).AddMeter(AspNetCoreMeters).AddNpgsqlInstrumentation();

                if (prometheus)
                {
                    metrics.AddPrometheusExporter(options =>
                    {
                        // Every scrape sees the latest values (the default caches a rendering for 300 ms), and series
                        // keep today's labels: no otel_scope_* labels on them.
                        options.ScrapeResponseCacheDurationMilliseconds = 0;
                        options.ScopeInfoEnabled = false;
                    });
                }
            });

        // Meters made by another host's IMeterFactory in the same process (tests run several engines), and ActorSync
        // meters made without one (an engine started outside a host), are not this host's: a view drops them, as the
        // hand-written exporter's listener did. Npgsql's meter is the process's own (no factory) and stays.
        services.ConfigureOpenTelemetryMeterProvider((provider, builder) =>
        {
            var own = provider.GetRequiredService<IMeterFactory>();
            builder.AddView(instrument =>
                (instrument.Meter.Scope is IMeterFactory scope && !ReferenceEquals(scope, own))
                || (instrument.Meter.Name == ActorSyncMetrics.MeterName && !ReferenceEquals(instrument.Meter.Scope, own))
                    ? MetricStreamConfiguration.Drop
                    : null);
        });
        if (otlp)
        {
            telemetry.WithTracing(tracing => tracing
                    .AddSource(ActorSyncActivities.SourceName)
                    .AddNpgsql()
                    .AddAspNetCoreInstrumentation())
                .UseOtlpExporter();
        }

        return services;
    }
}
