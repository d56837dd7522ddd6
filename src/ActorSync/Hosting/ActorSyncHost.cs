using ActorSync.Actors;
using ActorSync.Admin;
using ActorSync.Configuration;
using ActorSync.Metrics;
using ActorSync.Telemetry;
using Akka.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ActorSync.Hosting;

/// <summary>Builds the ActorSync service: the engine, and the admin endpoint when it is enabled.</summary>
public static class ActorSyncHost
{
    /// <summary>The engine and its state, registered for a host.</summary>
    public static IServiceCollection AddActorSyncEngine(this IServiceCollection services, ActorSyncConfiguration configuration)
    {
        services.AddSingleton(configuration);
        services.AddSingleton(provider => new EngineState(
            configuration.Options, configuration.Syncs.ToArray(), EngineSettings.From(configuration.Options),
            provider.GetRequiredService<ILoggerFactory>(), provider.GetRequiredService<ActorSyncMetrics>()));
        services.AddActorSyncMetrics(configuration);
        services.AddSingleton<EngineAccessor>();
        services.AddSingleton<ServiceExit>();
        services.AddHostedService<SnapshotProgressBar>();

        // Akka.Hosting: the actor system starts with the host and runs CoordinatedShutdown when it stops; our hosted
        // service keeps ActorSync's exit codes (start-up failure or a system that terminates on its own: exit code 1).
        services.AddAkka<ActorSyncAkkaService>(SyncEngine.SystemName, (builder, provider) => builder
            .AddHocon(AkkaSettings.For(configuration.Akka), HoconAddMode.Prepend)
            .WithActors((system, registry) =>
            {
                try
                {
                    var engine = SyncEngine.Start(system, provider.GetRequiredService<EngineState>());
                    registry.Register<SyncGuardianActor>(engine.Guardian);
                    provider.GetRequiredService<EngineAccessor>().Engine = engine;
                }
                catch (Exception error)
                {
                    provider.GetRequiredService<ServiceExit>().StartFailure = error;
                }
            }));
        return services;
    }

    /// <summary>Console logging: one line per event, UTC timestamps; Npgsql and ASP.NET Core only above Information.</summary>
    public static ILoggingBuilder AddActorSyncConsole(this ILoggingBuilder logging)
    {
        logging.ClearProviders();
        logging.AddSimpleConsole(options =>
        {
            options.SingleLine = true;
            options.UseUtcTimestamp = true;
            options.TimestampFormat = "yyyy-MM-dd HH:mm:ss.fff ";
        });
        logging.AddFilter("Npgsql", LogLevel.Warning);

        // When a connection dies under an open transaction (restarted server, terminated backend), Npgsql logs its failed
        // rollback at Error with a stack trace. The failure itself is already reported, in one line, by the actor whose
        // work it broke, and the server drops a dead session's transaction anyway (issue 9).
        logging.AddFilter("Npgsql.Transaction", LogLevel.Critical);
        logging.AddFilter("Microsoft", LogLevel.Warning);
        logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information);

        // Akka.Hosting logs a start-up failure with its stack trace; ActorSyncAkkaService reports it in one line.
        logging.AddFilter("Akka.Hosting.AkkaHostedService", LogLevel.None);
        return logging;
    }

    /// <summary>
    /// The host's own settings. ActorSync is configured by its HOCON file alone, so the host does not watch its content
    /// root (the working directory, recursively) for an appsettings.json to reload: with a busy directory (logs written
    /// beside the process) that watcher woke the service on every write.
    /// </summary>
    private static readonly string[] HostArgs = ["--hostBuilder:reloadConfigOnChange=false"];

    /// <summary>
    /// Builds the host that <c>actorsync run</c> runs. <paramref name="configureServices"/> runs last, so its
    /// registrations win (<c>actorsync demo</c> replaces the console lifetime: it handles Ctrl+C itself).
    /// <paramref name="hostSettings"/> add to the host's own settings (environment variables such as
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>), for a host that must not read them from the process environment (tests).
    /// </summary>
    public static IHost Build(
        ActorSyncConfiguration configuration, Action<ILoggingBuilder>? configureLogging = null, Action<IServiceCollection>? configureServices = null,
        IEnumerable<KeyValuePair<string, string?>>? hostSettings = null)
    {
        if (!configuration.Options.Admin.Enabled)
        {
            var plain = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = HostArgs });
            plain.Configuration.AddInMemoryCollection(hostSettings);
            (configureLogging ?? (l => l.AddActorSyncConsole()))(plain.Logging);

            // Telemetry first (see below); OTLP only, when configured: there is no /metrics without the admin endpoint.
            plain.Services.AddActorSyncTelemetry(plain.Configuration, prometheus: false);
            plain.Services.AddActorSyncEngine(configuration);
            configureServices?.Invoke(plain.Services);
            return plain.Build();
        }

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = HostArgs });
        builder.Configuration.AddInMemoryCollection(hostSettings);
        (configureLogging ?? (l => l.AddActorSyncConsole()))(builder.Logging);

        // Telemetry first: its hosted service starts the meter provider before Akka's starts the engine, so the seeded
        // counters and the first gauges are recorded while it listens.
        builder.Services.AddActorSyncTelemetry(builder.Configuration, prometheus: true);
        builder.Services.AddActorSyncEngine(configuration);
        builder.Services.AddActorSyncAdmin(configuration);
        configureServices?.Invoke(builder.Services);

        // Loopback by default (admin.url); port 0 picks a free port, reported by the "Admin endpoint listening" line.
        builder.WebHost.UseUrls(configuration.Options.Admin.Url);
        var app = builder.Build();
        app.MapActorSyncAdmin();
        return app;
    }
}
