using ActorSync.Hocon.Internal;

namespace ActorSync.Hocon;

/// <summary>
/// Durations in the spec's format ("Duration format"): a number and an optional lower-case unit, e.g. <c>5s</c>,
/// <c>200 ms</c>, <c>1 minute</c>, <c>0.5h</c>; a bare number is milliseconds. Units: <c>ns nano nanos nanosecond
/// nanoseconds</c>, <c>us micro micros microsecond microseconds</c>, <c>ms milli millis millisecond milliseconds</c>,
/// <c>s second seconds</c>, <c>m minute minutes</c>, <c>h hour hours</c>, <c>d day days</c>. A <see cref="TimeSpan"/> counts
/// 100 ns ticks, so finer values are truncated toward zero.
/// </summary>
public static class HoconDuration
{
    /// <summary>Words for error messages: what a duration looks like.</summary>
    public const string Expected = "expected a duration such as 5s, 200 ms or 1 minute (units: ns, us, ms, s, m, h, d)";

    /// <summary>Parses a duration.</summary>
    /// <exception cref="FormatException">Not a duration, an unknown unit, or out of range; the message says which.</exception>
    public static TimeSpan Parse(string text) =>
        TryParse(text, out var duration, out var error) ? duration : throw new FormatException(error);

    /// <summary>Parses a duration; false when <paramref name="text"/> is not one.</summary>
    public static bool TryParse(string? text, out TimeSpan duration) => TryParse(text, out duration, out _);

    /// <summary>Parses a duration; on failure <paramref name="error"/> says what was expected and what was found.</summary>
    public static bool TryParse(string? text, out TimeSpan duration, out string? error)
    {
        duration = default;
        if (text is null || !UnitsFormat.TrySplit(text, out var number, out var unit))
        {
            error = $"{Expected}, found '{text}'";
            return false;
        }

        var ticksPerUnit = unit switch
        {
            "" or "ms" or "milli" or "millis" or "millisecond" or "milliseconds" => (decimal)TimeSpan.TicksPerMillisecond,
            "ns" or "nano" or "nanos" or "nanosecond" or "nanoseconds" => 0.01m,
            "us" or "micro" or "micros" or "microsecond" or "microseconds" => TimeSpan.TicksPerMicrosecond,
            "s" or "second" or "seconds" => TimeSpan.TicksPerSecond,
            "m" or "minute" or "minutes" => TimeSpan.TicksPerMinute,
            "h" or "hour" or "hours" => TimeSpan.TicksPerHour,
            "d" or "day" or "days" => TimeSpan.TicksPerDay,
            _ => -1,
        };
        if (ticksPerUnit < 0)
        {
            error = $"{Expected}, found the unknown unit '{unit}' in '{text.Trim()}' (duration units are case-sensitive)";
            return false;
        }

        try
        {
            duration = TimeSpan.FromTicks(decimal.ToInt64(decimal.Truncate(number * ticksPerUnit)));
            error = null;
            return true;
        }
        catch (OverflowException)
        {
            error = $"the duration '{text.Trim()}' is out of range";
            return false;
        }
    }
}
