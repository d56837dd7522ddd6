using System.Collections;
using System.Text;
using ActorSync.Hocon.Parsing;

namespace ActorSync.Hocon;

/// <summary>
/// A path expression such as <c>a.b."c.d"</c>: keys separated by dots outside quotes (spec, "Path expressions").
/// Used for substitutions, for keys like <c>a.b.c = 1</c>, and by <see cref="HoconConfig"/> to look values up.
/// </summary>
public sealed class HoconPath : IReadOnlyList<string>, IEquatable<HoconPath>
{
    private readonly string[] _keys;

    /// <summary>Creates a path from its keys (taken literally: a key may contain dots).</summary>
    /// <exception cref="ArgumentException">No key was given.</exception>
    public HoconPath(params string[] keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Length == 0)
        {
            throw new ArgumentException("A path needs at least one key.", nameof(keys));
        }

        _keys = (string[])keys.Clone();
    }

    private HoconPath(string[] keys, bool owned) => _keys = owned ? keys : (string[])keys.Clone();

    /// <summary>The number of keys.</summary>
    public int Count => _keys.Length;

    /// <summary>The key at <paramref name="index"/>.</summary>
    public string this[int index] => _keys[index];

    /// <summary>Parses a path expression, e.g. <c>a.b."c.d"</c> (three keys: <c>a</c>, <c>b</c>, <c>c.d</c>).</summary>
    /// <exception cref="HoconParseException">The text is not a path: empty, <c>a..b</c>, a leading or trailing dot, bad quoting.</exception>
    public static HoconPath Parse(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        return new HoconPath(PathParser.Parse(expression, new HoconOrigin("path expression", 1, 1)), owned: true);
    }

    internal static HoconPath FromOwned(string[] keys) => new(keys, owned: true);

    internal string[] Keys => _keys;

    /// <summary>Renders the path, quoting keys that need it, so that <see cref="Parse"/> gives the same path back.</summary>
    public override string ToString()
    {
        var builder = new StringBuilder();
        for (var i = 0; i < _keys.Length; i++)
        {
            if (i > 0)
            {
                builder.Append('.');
            }

            AppendKey(builder, _keys[i]);
        }

        return builder.ToString();
    }

    /// <summary>Renders one key as a path element, quoted when it is empty or has characters a bare key cannot hold.</summary>
    public static string RenderKey(string key)
    {
        var builder = new StringBuilder();
        AppendKey(builder, key);
        return builder.ToString();
    }

    private static void AppendKey(StringBuilder builder, string key)
    {
        var plain = key.Length > 0 && key != "include" && !char.IsAsciiDigit(key[0]) && key[0] != '-' &&
            key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
        if (plain)
        {
            builder.Append(key);
            return;
        }

        Internal.JsonRenderer.AppendQuoted(builder, key);
    }

    /// <summary>Compares keys ordinally.</summary>
    public bool Equals(HoconPath? other) => other is not null && _keys.AsSpan().SequenceEqual(other._keys);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as HoconPath);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = default(HashCode);
        foreach (var key in _keys)
        {
            hash.Add(key, StringComparer.Ordinal);
        }

        return hash.ToHashCode();
    }

    /// <summary>Enumerates the keys.</summary>
    public IEnumerator<string> GetEnumerator() => ((IEnumerable<string>)_keys).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
