using System.Collections.Concurrent;
using System.Globalization;
using ActorSync.Configuration;
using Microsoft.Extensions.Logging;

namespace ActorSync.Demo;

/// <summary>
/// Collects the service's log lines while the demo runs, so the status display can show them as events (under the
/// table, or between the status lines) instead of letting them scroll the table away. ActorSync's own lines from
/// Information up; ASP.NET Core's and Npgsql's from Warning up.
/// </summary>
public sealed class DemoLog : ILoggerProvider
{
    // "Sync {Sync}: caught up" is logged each time a sync drains its delta, many times a second under the writer.
    private const int CaughtUpEventId = 3004;

    private readonly ConcurrentQueue<string> _events = new();
    private readonly ConcurrentDictionary<string, bool> _caughtUpShown = new(StringComparer.Ordinal);

    /// <summary>The lines logged since the last call, oldest first.</summary>
    public IReadOnlyList<string> Drain()
    {
        var lines = new List<string>();
        while (_events.TryDequeue(out var line))
        {
            lines.Add(line);
        }

        return lines;
    }

    public ILogger CreateLogger(string categoryName) => new Logger(
        this, !(categoryName.StartsWith("Microsoft", StringComparison.Ordinal) || categoryName.StartsWith("Npgsql", StringComparison.Ordinal) ||
                categoryName.StartsWith("System", StringComparison.Ordinal)));

    public void Dispose()
    {
    }

    /// <summary>Routes the host's logging here.</summary>
    public void Configure(ILoggingBuilder logging)
    {
        logging.ClearProviders();
        logging.SetMinimumLevel(LogLevel.Information);
        logging.AddProvider(this);
    }

    private void Add(LogLevel level, EventId eventId, string message, Exception? exception)
    {
        if (eventId.Id == CaughtUpEventId && !_caughtUpShown.TryAdd(message, true))
        {
            return; // shown once per sync: the status table tells the rest
        }

        var label = level >= LogLevel.Error ? "error: " : level == LogLevel.Warning ? "warning: " : "";
        var detail = exception is null ? "" : $" ({exception.GetType().Name}: {exception.Message})";
        var text = $"{DateTime.Now.ToString("HH:mm:ss", CultureInfo.InvariantCulture)} {label}{message}{detail}".ReplaceLineEndings(" ");
        _events.Enqueue(SecretMasker.MaskText(text));
    }

    private sealed class Logger(DemoLog log, bool ours) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= (ours ? LogLevel.Information : LogLevel.Warning) && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                log.Add(logLevel, eventId, formatter(state, exception), exception);
            }
        }
    }
}
