using Microsoft.Extensions.Logging;

namespace ActorSync.Actors.Internal;

/// <summary>
/// The kernel's own log entries. Event ids by area: 1xxx dead letters and unhandled messages, 2xxx supervision and
/// lifecycle, 3xxx system and shutdown, 4xxx hosting.
/// </summary>
internal static partial class LogMessages
{
    [LoggerMessage(1001, LogLevel.Information,
        "Message [{MessageType}] from {Sender} to {Recipient} was not delivered. [{Count}] dead letters encountered. {Message}")]
    public static partial void DeadLetter(ILogger logger, string messageType, string sender, string recipient, long count, string message);

    [LoggerMessage(1002, LogLevel.Information,
        "Message [{MessageType}] from {Sender} to {Recipient} was not delivered. [{Count}] dead letters encountered; no more " +
        "dead letters will be logged for {Suspension}.")]
    public static partial void DeadLettersSuspended(
        ILogger logger, string messageType, string sender, string recipient, long count, TimeSpan suspension);

    [LoggerMessage(1003, LogLevel.Debug, "Unhandled message [{MessageType}] in {ActorPath}")]
    public static partial void UnhandledMessage(ILogger logger, string messageType, string actorPath);

    [LoggerMessage(2001, LogLevel.Error, "Actor {ActorPath} failed ({Directive}): {Reason}")]
    public static partial void ChildFailure(ILogger logger, Exception cause, string actorPath, Directive directive, string reason);

    [LoggerMessage(2002, LogLevel.Warning, "Actor {ActorPath} failed and was resumed: {Reason}")]
    public static partial void ChildFailureResumed(ILogger logger, Exception cause, string actorPath, string reason);

    [LoggerMessage(2003, LogLevel.Error, "PostStop of {ActorPath} threw; the actor is stopped anyway")]
    public static partial void PostStopFailed(ILogger logger, Exception cause, string actorPath);

    [LoggerMessage(2004, LogLevel.Error, "PreRestart of {ActorPath} threw; the actor is restarted anyway")]
    public static partial void PreRestartFailed(ILogger logger, Exception cause, string actorPath);

    [LoggerMessage(3001, LogLevel.Critical, "Guardian {ActorPath} escalated a failure; actor system {System} terminates")]
    public static partial void GuardianFailed(ILogger logger, Exception cause, string actorPath, string system);

    [LoggerMessage(3002, LogLevel.Information, "Coordinated shutdown of {System} started, reason: {Reason}")]
    public static partial void CoordinatedShutdownStarted(ILogger logger, string system, string reason);

    [LoggerMessage(3003, LogLevel.Warning, "Coordinated shutdown phase [{Phase}] task [{Task}] failed")]
    public static partial void CoordinatedShutdownTaskFailed(ILogger logger, Exception cause, string phase, string task);

    [LoggerMessage(3004, LogLevel.Warning, "Coordinated shutdown phase [{Phase}] timed out after {Timeout}")]
    public static partial void CoordinatedShutdownPhaseTimedOut(ILogger logger, string phase, TimeSpan timeout);

    [LoggerMessage(3005, LogLevel.Warning, "Coordinated shutdown task [{Task}] added to phase [{Phase}], which has already run; ignored")]
    public static partial void CoordinatedShutdownTaskTooLate(ILogger logger, string task, string phase);

    [LoggerMessage(3006, LogLevel.Error, "A termination callback of actor system {System} threw")]
    public static partial void TerminationCallbackFailed(ILogger logger, Exception cause, string system);

    [LoggerMessage(3007, LogLevel.Error, "Coordinated shutdown phase [{Phase}] failed and recover is off; shutdown stops here")]
    public static partial void CoordinatedShutdownAborted(ILogger logger, string phase);

    [LoggerMessage(4001, LogLevel.Critical, "Starting actor system {System} failed; stopping the application")]
    public static partial void HostedStartupFailed(ILogger logger, Exception cause, string system);

    [LoggerMessage(4002, LogLevel.Critical, "Actor system {System} terminated on its own after a fatal failure; stopping the application")]
    public static partial void HostedSystemFailed(ILogger logger, string system);

    [LoggerMessage(4003, LogLevel.Warning, "Actor system {System} terminated on its own; stopping the application")]
    public static partial void HostedSystemTerminated(ILogger logger, string system);
}
