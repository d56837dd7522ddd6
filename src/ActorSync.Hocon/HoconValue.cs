using ActorSync.Hocon.Internal;

namespace ActorSync.Hocon;

/// <summary>
/// A resolved HOCON value: <see cref="HoconObject"/>, <see cref="HoconArray"/>, <see cref="HoconString"/>,
/// <see cref="HoconNumber"/>, <see cref="HoconBoolean"/> or <see cref="HoconNull"/>. Every value carries the
/// <see cref="Origin"/> of the text that defined it. Values are immutable once a document is resolved.
/// </summary>
public abstract class HoconValue
{
    private protected HoconValue(HoconOrigin origin) => Origin = origin;

    /// <summary>Where this value was written (for a value taken from an environment variable: where the substitution was).</summary>
    public HoconOrigin Origin { get; }

    /// <summary>True for objects and arrays, false for strings, numbers, booleans and null.</summary>
    public bool IsContainer => this is HoconObject or HoconArray;

    /// <summary>False while the value still holds substitutions or concatenations (inside the library only).</summary>
    internal virtual bool IsResolved => true;

    /// <summary>Renders the value as JSON (numbers as written in the source, keys in definition order).</summary>
    /// <param name="indented">Pretty-print with two-space indentation.</param>
    /// <exception cref="InvalidOperationException">The value is not resolved (it came from an unresolved document).</exception>
    public string ToJson(bool indented = false) => JsonRenderer.Render(this, indented);
}
