using Akka.Actor;
using Akka.Event;
using Akka.Hosting.Logging;
using Microsoft.Extensions.Logging;
using MelLogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace ActorSync.Hosting;

/// <summary>
/// Akka.NET's log events as Microsoft.Extensions.Logging events, one line each on the console like ActorSync's own.
/// Akka.Hosting's <see cref="LoggerFactoryLogger"/> writes every event under one category with Akka's own prefix
/// (level, timestamp, thread, source) in the text, so the console showed two timestamps; here the category is the class
/// that logged (an actor's type, or the Akka subsystem, such as <c>Akka.Event.DeadLetterListener</c>), the text is the
/// message alone, and the source (an actor's path) is a structured value beside it.
/// </summary>
public sealed class AkkaLogger : LoggerFactoryLogger
{
    private readonly ILoggerFactory _loggerFactory;
    private readonly Dictionary<Type, ILogger> _loggers = [];

    public AkkaLogger()
    {
        _loggerFactory = Context.System.Settings.Setup.Get<LoggerFactorySetup>().Value.LoggerFactory;
    }

    protected override void Log(LogEvent log, ActorPath path)
    {
        var type = log.LogClass ?? typeof(ActorSystem);
        if (!_loggers.TryGetValue(type, out var logger))
        {
            logger = _loggerFactory.CreateLogger(type.FullName ?? type.Name);
            _loggers[type] = logger;
        }

        var level = log.LogLevel() switch
        {
            Akka.Event.LogLevel.DebugLevel => MelLogLevel.Debug,
            Akka.Event.LogLevel.InfoLevel => MelLogLevel.Information,
            Akka.Event.LogLevel.WarningLevel => MelLogLevel.Warning,
            _ => MelLogLevel.Error,
        };
        if (!logger.IsEnabled(level))
        {
            return;
        }

        // The cause's message is enough: a stack trace per event would bury the console (as ActorSync's own lines do).
        var text = log.Cause is { } cause ? $"{log.Message}: {Actors.ErrorText.Describe(cause)}" : log.Message?.ToString() ?? "";
        logger.Log(level, default, new AkkaEventState(text, log.LogSource), null, static (state, _) => state.Message);
    }

    /// <summary>The event's structured values: the message, and the source (an actor's path) for sinks that keep fields.</summary>
    private sealed class AkkaEventState(string message, string source) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public string Message { get; } = message;

        public int Count => 2;

        public KeyValuePair<string, object?> this[int index] => index switch
        {
            0 => new("Message", Message),
            1 => new("AkkaSource", source),
            _ => throw new ArgumentOutOfRangeException(nameof(index)),
        };

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
        {
            yield return this[0];
            yield return this[1];
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => Message;
    }
}
