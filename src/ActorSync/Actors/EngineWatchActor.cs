using ActorSync.Logging;
using Akka.Actor;
using Akka.Event;
using Microsoft.Extensions.Logging;

namespace ActorSync.Actors;

/// <summary>
/// Watches over the engine from beside it. It watches the <see cref="SyncGuardianActor"/>: Akka's user guardian stops
/// a child that fails to start (its default strategy stops on <see cref="ActorInitializationException"/>), which would
/// leave a service that answers but syncs nothing; instead the actor system shuts down, and the host ends with exit
/// code 1. And it reports every message an actor left unhandled (a bug: a message that should have done something did
/// not), in the log and in <see cref="EngineState.UnhandledMessages"/>, which the tests check.
/// </summary>
public sealed class EngineWatchActor : ReceiveActor
{
    public EngineWatchActor(IActorRef guardian, EngineState state)
    {
        var logger = state.LoggerFactory.CreateLogger<EngineWatchActor>();
        Context.Watch(guardian);
        Context.System.EventStream.Subscribe(Self, typeof(UnhandledMessage));
        Receive<UnhandledMessage>(unhandled =>
        {
            var text = $"{unhandled.Message.GetType().Name} sent to {unhandled.Recipient.Path}";
            state.UnhandledMessages.Enqueue(text);
            LogMessages.MessageUnhandled(logger, text);
        });
        Receive<Terminated>(_ =>
        {
            var shutdown = CoordinatedShutdown.Get(Context.System);
            if (shutdown.ShutdownReason is null)
            {
                if (state.StartFailure is null)
                {
                    // A stop the guardian did not explain itself.
                    LogMessages.EngineGuardianStopped(logger);
                }

                shutdown.Run(EngineStoppedReason.Instance);
            }
        });
    }
}

/// <summary>The reason CoordinatedShutdown runs when the engine's root actor stopped on its own.</summary>
public sealed class EngineStoppedReason : CoordinatedShutdown.Reason
{
    public static readonly EngineStoppedReason Instance = new();

    private EngineStoppedReason()
    {
    }

    public override int ExitCode => Cli.ExitCodes.Failure;
}
