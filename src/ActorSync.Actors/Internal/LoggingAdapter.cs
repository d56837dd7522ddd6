using System.Collections;
using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using ActorSync.Actors.Event;
using Microsoft.Extensions.Logging;
using MelLogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace ActorSync.Actors.Internal;

/// <summary>Bridges <see cref="ILoggingAdapter"/> to an <see cref="ILogger"/>.</summary>
internal sealed class LoggingAdapter(ILoggerFactory factory, string category, string? actorPath) : ILoggingAdapter
{
    private readonly ILogger _logger = factory.CreateLogger(category);

    public bool IsDebugEnabled => _logger.IsEnabled(MelLogLevel.Debug);

    public bool IsInfoEnabled => _logger.IsEnabled(MelLogLevel.Information);

    public bool IsWarningEnabled => _logger.IsEnabled(MelLogLevel.Warning);

    public bool IsErrorEnabled => _logger.IsEnabled(MelLogLevel.Error);

    public bool IsEnabled(Event.LogLevel level) => _logger.IsEnabled(ToMel(level));

    public void Log(Event.LogLevel level, Exception? cause, string format, params object?[] args)
    {
        var melLevel = ToMel(level);
        if (!_logger.IsEnabled(melLevel))
        {
            return;
        }

        var state = new LogState(LogTemplate.Parse(format ?? string.Empty), args ?? [], actorPath);
        _logger.Log(melLevel, default, state, cause, static (s, _) => s.ToString());
    }

    public void Debug(string format, params object?[] args) => Log(Event.LogLevel.DebugLevel, null, format, args);

    public void Debug(Exception cause, string format, params object?[] args) => Log(Event.LogLevel.DebugLevel, cause, format, args);

    public void Info(string format, params object?[] args) => Log(Event.LogLevel.InfoLevel, null, format, args);

    public void Info(Exception cause, string format, params object?[] args) => Log(Event.LogLevel.InfoLevel, cause, format, args);

    public void Warning(string format, params object?[] args) => Log(Event.LogLevel.WarningLevel, null, format, args);

    public void Warning(Exception cause, string format, params object?[] args) => Log(Event.LogLevel.WarningLevel, cause, format, args);

    public void Error(string format, params object?[] args) => Log(Event.LogLevel.ErrorLevel, null, format, args);

    public void Error(Exception cause, string format, params object?[] args) => Log(Event.LogLevel.ErrorLevel, cause, format, args);

    private static MelLogLevel ToMel(Event.LogLevel level) => level switch
    {
        Event.LogLevel.DebugLevel => MelLogLevel.Debug,
        Event.LogLevel.InfoLevel => MelLogLevel.Information,
        Event.LogLevel.WarningLevel => MelLogLevel.Warning,
        _ => MelLogLevel.Error,
    };

    /// <summary>Structured state: the template's named values, the actor path and <c>{OriginalFormat}</c>, as MEL expects.</summary>
    private readonly struct LogState(LogTemplate template, object?[] args, string? actorPath) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public int Count => template.Names.Length + (actorPath is null ? 1 : 2);

        public KeyValuePair<string, object?> this[int index]
        {
            get
            {
                if (index < template.Names.Length)
                {
                    return new(template.Names[index], index < args.Length ? args[index] : null);
                }

                if (actorPath is not null && index == template.Names.Length)
                {
                    return new("ActorPath", actorPath);
                }

                return new("{OriginalFormat}", template.Format);
            }
        }

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
        {
            for (var i = 0; i < Count; i++)
            {
                yield return this[i];
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => template.Render(args);
    }
}

/// <summary>A parsed message template: <c>{0}</c> and <c>{Name}</c> placeholders are filled by position.</summary>
internal sealed class LogTemplate
{
    private static readonly ConcurrentDictionary<string, LogTemplate> Cache = new(StringComparer.Ordinal);

    private readonly string[] _literals;
    private readonly string?[] _formats;

    private LogTemplate(string format, string[] literals, string[] names, string?[] formats)
    {
        Format = format;
        _literals = literals;
        Names = names;
        _formats = formats;
    }

    public string Format { get; }

    public string[] Names { get; }

    public static LogTemplate Parse(string format)
    {
        if (Cache.TryGetValue(format, out var cached))
        {
            return cached;
        }

        var literals = new List<string>();
        var names = new List<string>();
        var formats = new List<string?>();
        var literal = new StringBuilder();
        for (var i = 0; i < format.Length; i++)
        {
            var c = format[i];
            if (c == '{' && i + 1 < format.Length && format[i + 1] == '{')
            {
                literal.Append('{');
                i++;
            }
            else if (c == '}' && i + 1 < format.Length && format[i + 1] == '}')
            {
                literal.Append('}');
                i++;
            }
            else if (c == '{' && format.IndexOf('}', i) is var end and > 0)
            {
                var hole = format[(i + 1)..end];
                var colon = hole.IndexOf(':', StringComparison.Ordinal);
                var comma = hole.IndexOf(',', StringComparison.Ordinal);
                var nameEnd = new[] { colon, comma, hole.Length }.Where(x => x >= 0).Min();
                literals.Add(literal.ToString());
                literal.Clear();
                names.Add(hole[..nameEnd].TrimStart('@', '$'));
                formats.Add(nameEnd < hole.Length ? "{0" + hole[nameEnd..] + "}" : null);
                i = end;
            }
            else
            {
                literal.Append(c);
            }
        }

        literals.Add(literal.ToString());
        var template = new LogTemplate(format, [.. literals], [.. names], [.. formats]);
        if (Cache.Count < 4096)
        {
            Cache.TryAdd(format, template);
        }

        return template;
    }

    public string Render(object?[] args)
    {
        var builder = new StringBuilder(_literals[0]);
        for (var i = 0; i < Names.Length; i++)
        {
            var value = i < args.Length ? args[i] : null;
            if (_formats[i] is { } holeFormat)
            {
                builder.AppendFormat(CultureInfo.InvariantCulture, holeFormat, value);
            }
            else
            {
                builder.Append(Convert.ToString(value, CultureInfo.InvariantCulture) ?? "null");
            }

            builder.Append(_literals[i + 1]);
        }

        return builder.ToString();
    }
}
