using ActorSync.Actors.Internal;

namespace ActorSync.Actors.Event;

/// <summary>Obtains loggers bridged to the system's <see cref="Microsoft.Extensions.Logging.ILoggerFactory"/>.</summary>
public static class Logging
{
    /// <summary>
    /// The logger of the current actor; its category is the actor's type, and each entry carries the actor's path as
    /// <c>ActorPath</c>.
    /// </summary>
    /// <param name="context">The actor's context.</param>
    public static ILoggingAdapter GetLogger(this IActorContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var type = context is ActorCell { Actor: { } actor } ? actor.GetType() : context.Props.Type;
        return new LoggingAdapter(context.System.LoggerFactory, type.FullName ?? type.Name, context.Self.Path.ToString());
    }

    /// <summary>A logger for code outside actors.</summary>
    /// <param name="system">The system whose logger factory to use.</param>
    /// <param name="logSource">The category.</param>
    public static ILoggingAdapter GetLogger(ActorSystem system, Type logSource)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(logSource);
        return new LoggingAdapter(system.LoggerFactory, logSource.FullName ?? logSource.Name, null);
    }

    /// <summary>A logger for code outside actors.</summary>
    /// <param name="system">The system whose logger factory to use.</param>
    /// <param name="logSource">The category.</param>
    public static ILoggingAdapter GetLogger(ActorSystem system, string logSource)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentException.ThrowIfNullOrEmpty(logSource);
        return new LoggingAdapter(system.LoggerFactory, logSource, null);
    }
}
