using ActorSync.Configuration;
using ActorSync.Hocon;
using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;
using Akka.Hosting.Logging;
using Microsoft.Extensions.Logging;

namespace ActorSync.Hosting;

/// <summary>
/// The Akka.NET settings ActorSync starts its actor system with, hosted (<see cref="ActorSyncHost"/>) or not (tests and
/// benchmarks through <see cref="Actors.SyncEngine.Start(Actors.EngineState)"/>): Akka's events go to
/// Microsoft.Extensions.Logging through <see cref="AkkaLogger"/>, Akka's own stdout logger is off, and the
/// configuration file's <c>akka { }</c> block comes last, so whatever a user sets there wins.
/// </summary>
public static class AkkaSettings
{
    /// <summary>ActorSync's defaults for Akka, before the user's <c>akka</c> block.</summary>
    public static Config Defaults { get; } = ConfigurationFactory.ParseString($$"""
        akka {
          loggers = ["{{typeof(AkkaLogger).AssemblyQualifiedName}}"]
          loglevel = INFO
          # Akka's StandardOutLogger prints before the loggers start and after they stop; the console is ours.
          stdout-loglevel = OFF
          log-dead-letters-during-shutdown = off
          # The Generic Host runs CoordinatedShutdown when it stops; the runtime's exit hook need not run it again.
          coordinated-shutdown.run-by-clr-shutdown-hook = off
        }
        """);

    /// <summary>
    /// The user's <c>akka</c> block as Akka's config: our parser has read, included and resolved it, and it reaches Akka
    /// rendered as JSON (a subset of HOCON with nothing left to resolve), keys and arrays intact.
    /// </summary>
    public static Config FromFile(HoconObject? akka) => akka is null
        ? Config.Empty
        : ConfigurationFactory.ParseString($$"""{ "{{ActorSyncConfiguration.AkkaSection}}": {{akka.ToJson()}} }""");

    /// <summary>The whole configuration: the user's block over ActorSync's defaults (over Akka's own).</summary>
    public static Config For(HoconObject? akka) => FromFile(akka).WithFallback(Defaults);

    /// <summary>Creates an actor system outside a host, logging to <paramref name="loggerFactory"/>.</summary>
    public static ActorSystem CreateSystem(string name, ILoggerFactory loggerFactory, HoconObject? akka = null) =>
        ActorSystem.Create(name, BootstrapSetup.Create().WithConfig(For(akka)).And(new LoggerFactorySetup(loggerFactory)));
}
