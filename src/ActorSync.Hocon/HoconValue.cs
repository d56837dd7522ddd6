using ActorSync.Hocon.Internal;

namespace ActorSync.Hocon;

/// <summary>
/// A resolved HOCON value: <see cref="HoconObject"/>, <see cref="HoconArray"/>, <see cref="HoconString"/>,
/// <see cref="HoconNumber"/>, <see cref="HoconBoolean"/> or <see cref="HoconNull"/>. Every value carries the
/// <see cref="Origin"/> of the text that defined it. Values are immutable once a document is resolved.
/// </summary>
public abstract class HoconValue
{
    // A value read by the parser stores the source text and its offset in it; its line and column are found when
    // Origin is read. A value created with a HoconOrigin stores it boxed. See OriginRef.
    private readonly object _where;
    private readonly int _offset;

    private protected HoconValue(HoconOrigin origin) => _where = origin;

    private protected HoconValue(OriginRef origin)
    {
        _where = origin.Where;
        _offset = origin.Offset;
    }

    /// <summary>Where this value was written (for a value taken from an environment variable: where the substitution was).</summary>
    public HoconOrigin Origin => _where is SourceText source ? source.OriginAt(_offset) : (HoconOrigin)_where;

    /// <summary>The origin as stored, to give another value the same one without computing it.</summary>
    internal OriginRef OriginRef => new(_where, _offset);

    /// <summary>The source text this value was read from, if it was; <see cref="SourceOffset"/> is where.</summary>
    private protected SourceText? Source => _where as SourceText;

    private protected int SourceOffset => _offset;

    /// <summary>True for objects and arrays, false for strings, numbers, booleans and null.</summary>
    public bool IsContainer => this is HoconObject or HoconArray;

    /// <summary>False while the value still holds substitutions or concatenations (inside the library only).</summary>
    internal virtual bool IsResolved => true;

    /// <summary>Renders the value as JSON (numbers as written in the source, keys in definition order).</summary>
    /// <param name="indented">Pretty-print with two-space indentation.</param>
    /// <exception cref="InvalidOperationException">The value is not resolved (it came from an unresolved document).</exception>
    public string ToJson(bool indented = false) => JsonRenderer.Render(this, indented);
}
