using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace ActorSync.Hocon;

/// <summary>
/// An object: fields in the order they were first defined, keys compared ordinally (HOCON keys are case-sensitive).
/// Duplicate keys were already merged by the spec's rules: a later object merges into an earlier one, anything else
/// replaces it.
/// </summary>
public sealed class HoconObject : HoconValue, IReadOnlyDictionary<string, HoconValue>
{
    private readonly OrderedDictionary<string, HoconValue> _fields;
    private bool _hasUnresolved;

    /// <summary>Creates an object holding <paramref name="fields"/>; a repeated key keeps the last value.</summary>
    public HoconObject(IEnumerable<KeyValuePair<string, HoconValue>> fields, HoconOrigin origin)
        : base(origin)
    {
        _fields = new OrderedDictionary<string, HoconValue>(StringComparer.Ordinal);
        foreach (var (key, value) in fields)
        {
            Set(key, value);
        }
    }

    internal HoconObject(HoconOrigin origin, int capacity = 0)
        : base(origin) => _fields = new OrderedDictionary<string, HoconValue>(capacity, StringComparer.Ordinal);

    /// <summary>The number of fields.</summary>
    public int Count => _fields.Count;

    /// <summary>The keys, in definition order.</summary>
    public IEnumerable<string> Keys => _fields.Keys;

    /// <summary>The values, in definition order.</summary>
    public IEnumerable<HoconValue> Values => _fields.Values;

    /// <summary>The value of <paramref name="key"/> (one key, not a path).</summary>
    /// <exception cref="KeyNotFoundException">There is no such field.</exception>
    public HoconValue this[string key] => _fields[key];

    internal override bool IsResolved => !_hasUnresolved;

    /// <summary>True when the object has a field named <paramref name="key"/>.</summary>
    public bool ContainsKey(string key) => _fields.ContainsKey(key);

    /// <summary>Gets the value of <paramref name="key"/> (one key, not a path).</summary>
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out HoconValue value) => _fields.TryGetValue(key, out value);

    /// <summary>Enumerates the fields in definition order.</summary>
    public IEnumerator<KeyValuePair<string, HoconValue>> GetEnumerator() => _fields.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    internal void Set(string key, HoconValue value)
    {
        _fields[key] = value;
        _hasUnresolved |= !value.IsResolved;
    }

    /// <summary>Marks this object as holding something unresolved after a nested object gained an unresolved value.</summary>
    internal void MarkUnresolved() => _hasUnresolved = true;
}
