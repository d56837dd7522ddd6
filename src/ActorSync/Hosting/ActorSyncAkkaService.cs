using ActorSync.Actors;
using ActorSync.Logging;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ActorSync.Hosting;

/// <summary>
/// Akka.Hosting's hosted service with ActorSync's exit codes (DESIGN.md, "Surfaces"), kept in <see cref="ServiceExit"/>.
/// Akka.Hosting prints a start-up failure with its stack trace to stdout and rethrows, and ends the process with exit
/// code 0 when the actor system terminates on its own. Here: an actor system that cannot start is one log line and exit code 1 (exit code 2 when the
/// <c>akka</c> block of the configuration is what Akka refused); an actor system that terminates while the host is not
/// stopping is one log line and exit code 1. A stop of the host (Ctrl+C, SIGTERM) runs CoordinatedShutdown as before.
/// </summary>
public sealed class ActorSyncAkkaService(
    AkkaConfigurationBuilder configurationBuilder, IServiceProvider serviceProvider, ILogger<AkkaHostedService> logger,
    IHostApplicationLifetime? applicationLifetime)
    : AkkaHostedService(configurationBuilder, serviceProvider, logger, applicationLifetime)
{
    private readonly ILogger _logger = serviceProvider.GetRequiredService<ILoggerFactory>().CreateLogger("ActorSync.Hosting");
    private readonly ServiceExit _exit = serviceProvider.GetRequiredService<ServiceExit>();
    private readonly Lock _terminationGate = new();
    private bool _terminationSeen;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // The actor system is created by its service factory; resolving it here first means that a failure to create it
        // (an akka setting Akka refuses, say) is ours to report rather than Akka.Hosting's.
        ActorSystem system;
        try
        {
            system = ServiceProvider.GetRequiredService<ActorSystem>();
        }
        catch (Exception error)
        {
            Fail(error);
            return;
        }

        // The actor starters (WithActors) record their failure instead of throwing it, for the same reason.
        await base.StartAsync(cancellationToken);
        if (_exit.StartFailure is { } failure)
        {
            Fail(failure);
            return;
        }

        _ = system.WhenTerminated.ContinueWith(
            _ => OnTerminated(CoordinatedShutdown.Get(system).ShutdownReason), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // CoordinatedShutdown already running when the host is asked to stop (the runtime's exit hook does not run it,
        // see AkkaSettings) means the system began to end on its own: Terminate() called on it, the engine's root actor
        // stopping. Its reason is set when that starts, so this does not depend on how far the termination got.
        if (ActorSystem is { } ending && CoordinatedShutdown.Get(ending).ShutdownReason is { } early)
        {
            OnTerminated(early);
        }

        await base.StopAsync(cancellationToken);

        // Akka.Hosting's own hook also stops the host when the system terminates, and may do so before the continuation
        // above has run: the exit code is settled here too, before the host's stop completes. (CoordinatedShutdown keeps
        // its first reason, so a system that ended on its own still says so after the host's run with the CLR reason.)
        if (ActorSystem is { WhenTerminated.IsCompleted: true } system)
        {
            OnTerminated(CoordinatedShutdown.Get(system).ShutdownReason);
        }
    }

    private void Fail(Exception error)
    {
        var badInput = FindConfigurationException(error) is not null;
        LogMessages.ActorSystemStartFailed(_logger, Configuration.SecretMasker.MaskText(ErrorText.Describe(FindConfigurationException(error) ?? error)));
        _exit.ExitCode = badInput ? Cli.ExitCodes.BadInput : Cli.ExitCodes.Failure;
        HostApplicationLifetime?.StopApplication();
    }

    private void OnTerminated(CoordinatedShutdown.Reason? reason)
    {
        // Called from the termination's continuation and from StopAsync, possibly at once: a second caller waits until
        // the first has settled the exit code (with only a flag, the host's stop could return, and the run end with
        // exit code 0, while the first caller was still logging; CI saw it once, under load).
        lock (_terminationGate)
        {
            if (_terminationSeen)
            {
                return;
            }

            _terminationSeen = true;

            // The host's own stop runs CoordinatedShutdown with the CLR exit reason; any other end is the system's own.
            if (reason is CoordinatedShutdown.ClrExitReason)
            {
                return;
            }

            if (reason is not EngineStoppedReason)
            {
                // (The engine's own stop was logged, with its cause, where it happened.)
                LogMessages.ActorSystemTerminated(_logger, reason?.GetType().Name ?? "terminated");
            }

            _exit.ExitCode = Cli.ExitCodes.Failure;
        }

        HostApplicationLifetime?.StopApplication();
    }

    private static Akka.Configuration.ConfigurationException? FindConfigurationException(Exception? error)
    {
        for (; error is not null; error = error.InnerException)
        {
            if (error is Akka.Configuration.ConfigurationException configuration)
            {
                return configuration;
            }
        }

        return null;
    }
}

/// <summary>
/// How the service ended, for <c>actorsync run</c> to return: set by <see cref="ActorSyncAkkaService"/> rather than in
/// the process-wide <see cref="Environment.ExitCode"/>, so hosts in one process (tests, the demo) do not share it.
/// </summary>
public sealed class ServiceExit
{
    /// <summary>0 unless the actor system failed to start or terminated on its own.</summary>
    public int ExitCode { get; set; }

    /// <summary>What an actor starter threw (it records the failure instead of throwing it through Akka.Hosting).</summary>
    public Exception? StartFailure { get; set; }
}
