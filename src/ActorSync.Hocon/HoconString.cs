using ActorSync.Hocon.Internal;

namespace ActorSync.Hocon;

/// <summary>A string value: quoted, triple-quoted, unquoted or the result of a string concatenation.</summary>
public sealed class HoconString : HoconValue
{
    // A value taken as is from the source (most of them: no escapes, no quoted piece in a concatenation) is kept as a
    // slice of the source text it was read from, starting at its origin (after the opening quotes, if quoted), and
    // becomes a string the first time it is asked for: parsing a large document does not build strings nobody reads.
    // The tree keeps its source text alive instead, which a configuration does anyway. _length is the slice's length,
    // bitwise complemented (so negative) for a quoted string; it only carries the quoted mark when _value was given.
    private string? _value;
    private readonly int _length;

    /// <summary>Creates a string value.</summary>
    public HoconString(string value, HoconOrigin origin)
        : base(origin)
    {
        _value = value;
        _length = ~0;
    }

    internal HoconString(string value, OriginRef origin, bool quoted)
        : base(origin)
    {
        _value = value;
        _length = quoted ? ~0 : 0;
    }

    /// <summary>
    /// The <paramref name="length"/> characters of the source text at <paramref name="origin"/> (after the quotes of a
    /// quoted token there).
    /// </summary>
    internal HoconString(OriginRef origin, int length, bool quoted)
        : base(origin) => _length = quoted ? ~length : length;

    /// <summary>The string.</summary>
    public string Value => _value ??= Slice();

    /// <summary>
    /// False for unquoted text from the source. Whitespace between values in a concatenation is kept as unquoted
    /// strings; unquoted whitespace is ignored next to objects and arrays, quoted whitespace is not (spec, "Note:
    /// Concatenation with whitespace and substitutions").
    /// </summary>
    internal bool IsQuoted => _length < 0;

    internal bool IsIgnorableWhitespace => !IsQuoted && CharClass.IsWhitespaceOnly(Value);

    /// <summary>Returns <see cref="Value"/>.</summary>
    public override string ToString() => Value;

    // Two threads may both build the string; they build equal ones and either may be kept.
    private string Slice()
    {
        if (Source is null)
        {
            // Only a string created with a null value has neither (nullable annotations say it should not happen).
            return null!;
        }

        var text = Source.Text;
        var start = SourceOffset;
        if (_length < 0)
        {
            // A quoted slice is one quoted token ("..." or """...""", its quotes skipped here) or a run of unquoted
            // values the parser marks quoted (a run that starts with a quoted string is built as a string instead).
            start += text[start] != '"' ? 0 : text.AsSpan(start).StartsWith("\"\"\"") ? 3 : 1;
        }

        return text.Substring(start, _length < 0 ? ~_length : _length);
    }
}
