namespace ActorSync.Hocon;

/// <summary>A string value: quoted, triple-quoted, unquoted or the result of a string concatenation.</summary>
public sealed class HoconString : HoconValue
{
    /// <summary>Creates a string value.</summary>
    public HoconString(string value, HoconOrigin origin)
        : this(value, origin, quoted: true)
    {
    }

    internal HoconString(string value, HoconOrigin origin, bool quoted)
        : base(origin)
    {
        Value = value;
        IsQuoted = quoted;
    }

    /// <summary>The string.</summary>
    public string Value { get; }

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
