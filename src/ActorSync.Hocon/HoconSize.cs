using ActorSync.Hocon.Internal;

namespace ActorSync.Hocon;

/// <summary>
/// Sizes in bytes in the spec's format ("Size in bytes format"): a number and an optional unit, e.g. <c>64MiB</c>,
/// <c>512K</c>, <c>10 MB</c>; a bare number is bytes. Powers of ten: <c>kB MB GB TB PB EB ZB YB</c> and the words
/// (<c>kilobyte</c>...); powers of two: <c>K Ki KiB</c> (and lower-case <c>k</c>), <c>M Mi MiB</c> ... and the words
/// (<c>kibibyte</c>...). Fractions are truncated to whole bytes.
/// </summary>
public static class HoconSize
{
    /// <summary>Words for error messages: what a size looks like.</summary>
    public const string Expected = "expected a size in bytes such as 512, 64MiB, 10 MB or 1G";

    private static readonly string[] Powers = ["k", "m", "g", "t", "p", "e", "z", "y"];
    private static readonly string[] DecimalWords = ["kilo", "mega", "giga", "tera", "peta", "exa", "zetta", "yotta"];
    private static readonly string[] BinaryWords = ["kibi", "mebi", "gibi", "tebi", "pebi", "exbi", "zebi", "yobi"];

    /// <summary>Parses a size in bytes.</summary>
    /// <exception cref="FormatException">Not a size, an unknown unit, or more than <see cref="long.MaxValue"/> bytes.</exception>
    public static long Parse(string text) => TryParse(text, out var bytes, out var error) ? bytes : throw new FormatException(error);

    /// <summary>Parses a size in bytes; false when <paramref name="text"/> is not one.</summary>
    public static bool TryParse(string? text, out long bytes) => TryParse(text, out bytes, out _);

    /// <summary>Parses a size in bytes; on failure <paramref name="error"/> says what was expected and what was found.</summary>
    public static bool TryParse(string? text, out long bytes, out string? error)
    {
        bytes = 0;
        if (text is null || !UnitsFormat.TrySplit(text, out var number, out var unit))
        {
            error = $"{Expected}, found '{text}'";
            return false;
        }

        var multiplier = Multiplier(unit);
        if (multiplier is null)
        {
            error = $"{Expected}, found the unknown unit '{unit}' in '{text.Trim()}'";
            return false;
        }

        try
        {
            var value = decimal.Truncate(number * multiplier.Value);
            if (value is < long.MinValue or > long.MaxValue)
            {
                throw new OverflowException();
            }

            bytes = (long)value;
            error = null;
            return true;
        }
        catch (OverflowException)
        {
            error = $"the size '{text.Trim()}' is more than {long.MaxValue} bytes";
            return false;
        }
    }

    private static decimal? Multiplier(string unit)
    {
        if (unit is "" or "B" or "b" or "byte" or "bytes")
        {
            return 1;
        }

        for (var i = 0; i < Powers.Length; i++)
        {
            var power = i + 1;
            var upper = Powers[i].ToUpperInvariant();
            var decimalSymbol = (i == 0 ? "k" : upper) + "B";
            if (unit == decimalSymbol || unit == DecimalWords[i] + "byte" || unit == DecimalWords[i] + "bytes")
            {
                return Pow(1000, power);
            }

            if (unit == upper || unit == Powers[i] || unit == upper + "i" || unit == upper + "iB" ||
                unit == BinaryWords[i] + "byte" || unit == BinaryWords[i] + "bytes")
            {
                return Pow(1024, power);
            }
        }

        return null;
    }

    private static decimal Pow(decimal value, int power)
    {
        var result = 1m;
        for (var i = 0; i < power; i++)
        {
            result *= value;
        }

        return result;
    }
}
