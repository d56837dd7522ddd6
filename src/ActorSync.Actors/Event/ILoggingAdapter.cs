namespace ActorSync.Actors.Event;

/// <summary>Log levels, with Akka.NET's names.</summary>
public enum LogLevel
{
    /// <summary>Detail for developers.</summary>
    DebugLevel,

    /// <summary>Lifecycle and notable events.</summary>
    InfoLevel,

    /// <summary>Something unexpected that the actor survives.</summary>
    WarningLevel,

    /// <summary>A failure.</summary>
    ErrorLevel,
}

/// <summary>
/// An actor's logger, as returned by <c>Context.GetLogger()</c>. Formats are message templates: positional
/// (<c>{0}</c>) or named (<c>{Table}</c>) placeholders, filled in order. Entries go to the system's
/// <see cref="Microsoft.Extensions.Logging.ILoggerFactory"/> with the template and its arguments as structured state.
/// </summary>
public interface ILoggingAdapter
{
    /// <summary>Whether debug entries are written.</summary>
    public bool IsDebugEnabled { get; }

    /// <summary>Whether info entries are written.</summary>
    public bool IsInfoEnabled { get; }

    /// <summary>Whether warnings are written.</summary>
    public bool IsWarningEnabled { get; }

    /// <summary>Whether errors are written.</summary>
    public bool IsErrorEnabled { get; }

    /// <summary>Whether entries of <paramref name="level"/> are written.</summary>
    /// <param name="level">The level.</param>
    public bool IsEnabled(LogLevel level);

    /// <summary>Writes an entry.</summary>
    /// <param name="level">The level.</param>
    /// <param name="cause">An exception, if any.</param>
    /// <param name="format">The message template.</param>
    /// <param name="args">The template's arguments.</param>
    public void Log(LogLevel level, Exception? cause, string format, params object?[] args);

    /// <summary>Writes a debug entry.</summary>
    /// <param name="format">The message template.</param>
    /// <param name="args">The template's arguments.</param>
    public void Debug(string format, params object?[] args);

    /// <summary>Writes a debug entry with an exception.</summary>
    /// <param name="cause">The exception.</param>
    /// <param name="format">The message template.</param>
    /// <param name="args">The template's arguments.</param>
    public void Debug(Exception cause, string format, params object?[] args);

    /// <summary>Writes an info entry.</summary>
    /// <param name="format">The message template.</param>
    /// <param name="args">The template's arguments.</param>
    public void Info(string format, params object?[] args);

    /// <summary>Writes an info entry with an exception.</summary>
    /// <param name="cause">The exception.</param>
    /// <param name="format">The message template.</param>
    /// <param name="args">The template's arguments.</param>
    public void Info(Exception cause, string format, params object?[] args);

    /// <summary>Writes a warning.</summary>
    /// <param name="format">The message template.</param>
    /// <param name="args">The template's arguments.</param>
    public void Warning(string format, params object?[] args);

    /// <summary>Writes a warning with an exception.</summary>
    /// <param name="cause">The exception.</param>
    /// <param name="format">The message template.</param>
    /// <param name="args">The template's arguments.</param>
    public void Warning(Exception cause, string format, params object?[] args);

    /// <summary>Writes an error.</summary>
    /// <param name="format">The message template.</param>
    /// <param name="args">The template's arguments.</param>
    public void Error(string format, params object?[] args);

    /// <summary>Writes an error with an exception.</summary>
    /// <param name="cause">The exception.</param>
    /// <param name="format">The message template.</param>
    /// <param name="args">The template's arguments.</param>
    public void Error(Exception cause, string format, params object?[] args);
}
