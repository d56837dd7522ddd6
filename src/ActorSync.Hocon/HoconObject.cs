using System.Collections;
using System.Diagnostics.CodeAnalysis;
using ActorSync.Hocon.Internal;

namespace ActorSync.Hocon;

/// <summary>
/// An object: fields in the order they were first defined, keys compared ordinally (HOCON keys are case-sensitive).
/// Duplicate keys were already merged by the spec's rules: a later object merges into an earlier one, anything else
/// replaces it.
/// </summary>
public sealed class HoconObject : HoconValue, IReadOnlyDictionary<string, HoconValue>
{
    // Configuration objects are mostly small: fields live in one array in definition order and are found by a linear
    // scan; an index is added only once an object grows past IndexThreshold fields. This keeps the order without an
    // ordered dictionary's allocations, which dominate the cost of parsing large documents. A simple value read by the
    // parser stays a slice of the source in its field until it is read (ValueSlot).
    private const int IndexThreshold = 32;

    private ObjectField[] _fields;
    private int _count;
    private bool _borrowed;
    // Open addressing over the field positions: slot -> position + 1, 0 for an empty slot, a power-of-two length at
    // least twice the count. Fields are never removed, and a resolved copy with the same keys in the same positions
    // may share it (see CopyForResolution).
    private int[]? _index;
    private bool _hasUnresolved;

    /// <summary>Creates an object holding <paramref name="fields"/>; a repeated key keeps the last value.</summary>
    public HoconObject(IEnumerable<KeyValuePair<string, HoconValue>> fields, HoconOrigin origin)
        : this((Internal.OriginRef)origin)
    {
        ArgumentNullException.ThrowIfNull(fields);
        foreach (var (key, value) in fields)
        {
            ArgumentNullException.ThrowIfNull(key);
            ArgumentNullException.ThrowIfNull(value);
            Set(key, value);
        }
    }

    internal HoconObject(Internal.OriginRef origin, int capacity = 0)
        : base(origin)
    {
        _fields = capacity == 0 ? [] : new ObjectField[capacity];
        if (capacity > IndexThreshold)
        {
            _index = new int[IndexLength(capacity)];
        }
    }

    /// <summary>The number of fields.</summary>
    public int Count => _count;

    /// <summary>The keys, in definition order.</summary>
    public IEnumerable<string> Keys
    {
        get
        {
            for (var i = 0; i < _count; i++)
            {
                yield return _fields[i].Key;
            }
        }
    }

    /// <summary>The values, in definition order.</summary>
    public IEnumerable<HoconValue> Values
    {
        get
        {
            for (var i = 0; i < _count; i++)
            {
                yield return ValueAt(i);
            }
        }
    }

    /// <summary>The value of <paramref name="key"/> (one key, not a path).</summary>
    /// <exception cref="KeyNotFoundException">There is no such field.</exception>
    public HoconValue this[string key] =>
        TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"The object at {Origin} has no field '{key}'.");

    internal override bool IsResolved => !_hasUnresolved;

    /// <summary>True when the object has a field named <paramref name="key"/>.</summary>
    public bool ContainsKey(string key) => IndexOf(key) >= 0;

    /// <summary>Gets the value of <paramref name="key"/> (one key, not a path).</summary>
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out HoconValue value)
    {
        var index = IndexOf(key);
        value = index >= 0 ? ValueAt(index) : null;
        return index >= 0;
    }

    /// <summary>Enumerates the fields in definition order.</summary>
    public IEnumerator<KeyValuePair<string, HoconValue>> GetEnumerator()
    {
        for (var i = 0; i < _count; i++)
        {
            yield return new KeyValuePair<string, HoconValue>(_fields[i].Key, ValueAt(i));
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    internal void Set(string key, HoconValue value)
    {
        var index = IndexOf(key);
        if (index >= 0)
        {
            SetAt(index, value);
        }
        else
        {
            Add(key, value);
        }
    }

    /// <summary>Appends a field; the caller knows the key is not there yet.</summary>
    internal void Add(string key, HoconValue value)
    {
        Append(new ObjectField(key, value));
        _hasUnresolved |= !value.IsResolved;
    }

    /// <summary>Appends a field whose simple value is made when first read; the caller knows the key is not there yet.</summary>
    internal void Add(string key, in Scalar scalar) => Append(new ObjectField(key, scalar));

    private void Append(in ObjectField field)
    {
        if (_count == _fields.Length)
        {
            Grow();
        }

        var key = field.Key;
        _fields[_count] = field;
        _count++;
        if (_index is not null && _count * 2 <= _index.Length)
        {
            IndexAdd(key, _count - 1);
        }
        else if (_count > IndexThreshold)
        {
            _index = new int[IndexLength(_count)];
            for (var i = 0; i < _count; i++)
            {
                IndexAdd(_fields[i].Key, i);
            }
        }
    }

    /// <summary>The value of the field at <paramref name="index"/> (from <see cref="IndexOf"/>), made now if it is a slice.</summary>
    internal HoconValue ValueAt(int index) => ValueSlot.ValueOf(ref _fields[index].Slot);

    /// <summary>True when the value at <paramref name="index"/> needs no resolving (without making it).</summary>
    internal bool IsResolvedAt(int index) => _fields[index].Slot.IsResolved;

    /// <summary>Replaces the value of the field at <paramref name="index"/>, keeping its key and position.</summary>
    internal void SetAt(int index, HoconValue value)
    {
        _fields[index] = new ObjectField(_fields[index].Key, value);
        _hasUnresolved |= !value.IsResolved;
    }

    /// <summary>
    /// The parser builds an object's fields in a buffer it lends (<paramref name="buffer"/>, reused from object to
    /// object) and calls <see cref="Seal"/> at its closing brace, which keeps an array of exactly the right size: large
    /// documents then allocate no arrays that are only grown and dropped.
    /// </summary>
    internal static HoconObject CreateWithBuffer(Internal.OriginRef origin, ObjectField[] buffer) =>
        new(origin) { _fields = buffer, _borrowed = true };

    /// <summary>Stops using the lent buffer and returns it (perhaps a larger one, if the object grew), or null when none was lent.</summary>
    internal ObjectField[]? Seal()
    {
        if (!_borrowed)
        {
            return null;
        }

        var buffer = _fields;
        _fields = _count == 0 ? [] : buffer.AsSpan(0, _count).ToArray();
        _borrowed = false;
        return buffer;
    }

    /// <summary>
    /// A copy for the resolver to replace some values in (<see cref="SetAt"/>): same keys in the same positions, so it
    /// shares the index; it starts resolved, as every value put in it is.
    /// </summary>
    internal HoconObject CopyForResolution() =>
        new(OriginRef) { _fields = _fields.AsSpan(0, _count).ToArray(), _count = _count, _index = _index };

    private static int IndexLength(int count) => (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(count, IndexThreshold) * 2);

    private void IndexAdd(string key, int position)
    {
        var mask = _index!.Length - 1;
        var slot = key.GetHashCode() & mask;
        while (_index[slot] != 0)
        {
            slot = (slot + 1) & mask;
        }

        _index[slot] = position + 1;
    }

    private void Grow()
    {
        if (!_borrowed)
        {
            // Objects built field by field outside the parser's buffers are mostly the small ones of a.b.c = 1 keys.
            Array.Resize(ref _fields, Math.Max(2, _count * 2));
            return;
        }

        // A lent buffer that grows past its first size (a large object, such as the root of a big document) grows in
        // arrays from the shared pool, which the parser returns there when it is done (ReturnBuffers).
        var grown = System.Buffers.ArrayPool<ObjectField>.Shared.Rent(_count * 2);
        _fields.AsSpan(0, _count).CopyTo(grown);
        ReturnBuffer(_fields);
        _fields = grown;
    }

    /// <summary>The size of the buffers the parser lends first; larger ones come from the shared array pool.</summary>
    internal const int FirstBufferLength = 16;

    /// <summary>Gives a lent buffer back to the shared pool if it came from there.</summary>
    internal static void ReturnBuffer(ObjectField[] buffer)
    {
        if (buffer.Length > FirstBufferLength)
        {
            System.Buffers.ArrayPool<ObjectField>.Shared.Return(buffer, clearArray: true);
        }
    }

    /// <summary>Marks this object as holding something unresolved after a nested object gained an unresolved value.</summary>
    internal void MarkUnresolved() => _hasUnresolved = true;

    /// <summary>The position of <paramref name="key"/> among the fields, or -1.</summary>
    internal int IndexOf(string key)
    {
        if (_index is not null)
        {
            var mask = _index.Length - 1;
            for (var slot = key.GetHashCode() & mask; ; slot = (slot + 1) & mask)
            {
                var entry = _index[slot];
                if (entry == 0)
                {
                    return -1;
                }

                if (string.Equals(_fields[entry - 1].Key, key, StringComparison.Ordinal))
                {
                    return entry - 1;
                }
            }
        }

        var fields = _fields.AsSpan(0, _count);
        for (var i = 0; i < fields.Length; i++)
        {
            if (string.Equals(fields[i].Key, key, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
