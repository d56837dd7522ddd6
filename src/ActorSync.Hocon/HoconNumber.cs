using System.Globalization;
using ActorSync.Hocon.Internal;

namespace ActorSync.Hocon;

/// <summary>
/// A number in JSON syntax. <see cref="Text"/> keeps it exactly as written, which is what a concatenation or a path
/// uses (spec: "numbers should be kept as they were originally written in the file").
/// </summary>
public sealed class HoconNumber : HoconValue
{
    // Like HoconString, a number from the source is a slice of it (at its origin) until its text is asked for.
    private string? _text;
    private readonly int _length;

    /// <summary>Creates a number from its JSON text.</summary>
    /// <exception cref="FormatException"><paramref name="text"/> is not a JSON number.</exception>
    public HoconNumber(string text, HoconOrigin origin)
        : this(text, origin, validated: false)
    {
    }

    /// <summary>The tokenizer has already checked the syntax, so <paramref name="validated"/> skips the second check.</summary>
    internal HoconNumber(string text, HoconOrigin origin, bool validated)
        : base(origin)
    {
        if (!validated && !Internal.CharClass.IsJsonNumber(text))
        {
            throw new FormatException($"'{text}' is not a JSON number.");
        }

        // Only the text is kept; conversions parse it when asked, which costs less than storing every form.
        _text = text;
    }

    /// <summary>
    /// The number of <paramref name="length"/> characters at <paramref name="origin"/> in its source text, which the
    /// tokenizer has checked.
    /// </summary>
    internal HoconNumber(OriginRef origin, int length)
        : base(origin) => _length = length;

    // Two threads may both build the string; they build equal ones and either may be kept.

    /// <summary>The number as written in the source, e.g. <c>1e5</c> or <c>42.0</c>.</summary>
    public string Text => _text ??= Source!.Text.Substring(SourceOffset, _length);

    /// <summary>True when the number was written without fraction or exponent and fits in a <see cref="long"/>.</summary>
    public bool IsInteger => Text.AsSpan().IndexOfAny('.', 'e', 'E') < 0 && long.TryParse(Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _);

    /// <summary>The number as a double (exact for integers up to 2^53).</summary>
    public double ToDouble() => double.Parse(Text, NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>The number as a long when it is an integral value in range (<c>42</c>, <c>42.0</c>, <c>1e3</c>).</summary>
    public bool TryGetInt64(out long value)
    {
        if (Text.AsSpan().IndexOfAny('.', 'e', 'E') < 0)
        {
            return long.TryParse(Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
        }

        var number = ToDouble();
        if (double.IsFinite(number) && Math.Floor(number) == number && number >= long.MinValue && number < 9.2233720368547758E18)
        {
            value = (long)number;
            return true;
        }

        value = 0;
        return false;
    }

    /// <summary>The number as an int when it is an integral value in range.</summary>
    public bool TryGetInt32(out int value)
    {
        if (TryGetInt64(out var wide) && wide is >= int.MinValue and <= int.MaxValue)
        {
            value = (int)wide;
            return true;
        }

        value = 0;
        return false;
    }

    /// <summary>Returns <see cref="Text"/>.</summary>
    public override string ToString() => Text;
}
