using System.Globalization;

namespace ActorSync.Hocon;

/// <summary>
/// A number in JSON syntax. <see cref="Text"/> keeps it exactly as written, which is what a concatenation or a path
/// uses (spec: "numbers should be kept as they were originally written in the file").
/// </summary>
public sealed class HoconNumber : HoconValue
{
    private readonly long _integer;
    private readonly double _double;

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

        Text = text;
        IsInteger = text.AsSpan().IndexOfAny('.', 'e', 'E') < 0 &&
            long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _integer);
        _double = IsInteger ? _integer : double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    /// <summary>The number as written in the source, e.g. <c>1e5</c> or <c>42.0</c>.</summary>
    public string Text { get; }

    /// <summary>True when the number was written without fraction or exponent and fits in a <see cref="long"/>.</summary>
    public bool IsInteger { get; }

    /// <summary>The number as a double (exact for integers up to 2^53).</summary>
    public double ToDouble() => _double;

    /// <summary>The number as a long when it is an integral value in range (<c>42</c>, <c>42.0</c>, <c>1e3</c>).</summary>
    public bool TryGetInt64(out long value)
    {
        if (IsInteger)
        {
            value = _integer;
            return true;
        }

        if (double.IsFinite(_double) && Math.Floor(_double) == _double && _double >= long.MinValue && _double < 9.2233720368547758E18)
        {
            value = (long)_double;
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
