namespace ActorSync.Hocon;

/// <summary>A string value: quoted, triple-quoted, unquoted or the result of a string concatenation.</summary>
public sealed class HoconString : HoconValue
{
    // A value taken as is from the source (most of them: no escapes, no quoted piece in a concatenation) is kept as a
    // slice of the source text and becomes a string the first time it is asked for, so parsing a large document does
    // not build strings nobody reads. The tree keeps its source text alive instead, which a configuration does anyway.
    private string? _value;
    private readonly string? _source;
    private readonly int _start;
    private readonly int _length;

    /// <summary>Creates a string value.</summary>
    public HoconString(string value, HoconOrigin origin)
        : this(value, origin, quoted: true)
    {
    }

    internal HoconString(string value, HoconOrigin origin, bool quoted)
        : base(origin)
    {
        _value = value;
        IsQuoted = quoted;
    }

    /// <summary>The text <c>source[start..start+length]</c>, turned into a string only when asked for.</summary>
    internal HoconString(string source, int start, int length, HoconOrigin origin, bool quoted)
        : base(origin)
    {
        _source = source;
        _start = start;
        _length = length;
        IsQuoted = quoted;
    }

    // Two threads may both create the string; they create equal ones and either may be kept.

    /// <summary>The string.</summary>
    public string Value => _value ??= _source!.Substring(_start, _length);

    /// <summary>
    /// False for unquoted text from the source. Whitespace between values in a concatenation is kept as unquoted
    /// strings; unquoted whitespace is ignored next to objects and arrays, quoted whitespace is not (spec, "Note:
    /// Concatenation with whitespace and substitutions").
    /// </summary>
    internal bool IsQuoted { get; }

    internal bool IsIgnorableWhitespace => !IsQuoted && Internal.CharClass.IsWhitespaceOnly(Value);

    /// <summary>Returns <see cref="Value"/>.</summary>
    public override string ToString() => Value;
}
