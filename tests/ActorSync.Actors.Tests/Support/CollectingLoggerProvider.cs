using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ActorSync.Actors.Tests.Support;

/// <summary>Collects log entries so tests can assert on what the kernel logged.</summary>
public sealed class CollectingLoggerProvider : ILoggerProvider
{
    public CollectingLoggerProvider(LogLevel minimum = LogLevel.Debug)
    {
        Minimum = minimum;
        Factory = LoggerFactory.Create(builder => builder.SetMinimumLevel(minimum).AddProvider(this));
    }

    public LogLevel Minimum { get; }

    public ILoggerFactory Factory { get; }

    public ConcurrentQueue<LogEntry> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new CollectingLogger(this, categoryName);

    public void Dispose()
    {
    }

    public sealed record LogEntry(string Category, LogLevel Level, EventId EventId, string Message, Exception? Exception, IReadOnlyList<KeyValuePair<string, object?>> State);

    private sealed class CollectingLogger(CollectingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= owner.Minimum;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state as IReadOnlyList<KeyValuePair<string, object?>> ?? [];
            owner.Entries.Enqueue(new LogEntry(category, logLevel, eventId, formatter(state, exception), exception, [.. values]));
        }
    }
}
