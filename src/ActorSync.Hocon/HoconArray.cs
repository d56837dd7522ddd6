using System.Collections;

namespace ActorSync.Hocon;

/// <summary>An array. Elements keep their order; an undefined optional substitution leaves no element behind.</summary>
public sealed class HoconArray : HoconValue, IReadOnlyList<HoconValue>
{
    private HoconValue[] _items;
    private int _count;
    private bool _hasUnresolved;

    /// <summary>Creates an array holding <paramref name="items"/>.</summary>
    public HoconArray(IEnumerable<HoconValue> items, HoconOrigin origin)
        : base(origin)
    {
        ArgumentNullException.ThrowIfNull(items);
        _items = [];
        foreach (var item in items)
        {
            Add(item);
        }
    }

    internal HoconArray(Internal.OriginRef origin, int capacity = 4)
        : base(origin) => _items = capacity == 0 ? [] : new HoconValue[capacity];

    /// <summary>Takes <paramref name="items"/> as they are (the parser hands over an array of exactly the right size).</summary>
    internal HoconArray(Internal.OriginRef origin, HoconValue[] items)
        : base(origin)
    {
        _items = items;
        _count = items.Length;
        foreach (var item in items)
        {
            _hasUnresolved |= !item.IsResolved;
        }
    }

    /// <summary>The number of elements.</summary>
    public int Count => _count;

    /// <summary>The element at <paramref name="index"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is negative or not less than <see cref="Count"/>.</exception>
    public HoconValue this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, _count);
            return _items[index];
        }
    }

    internal override bool IsResolved => !_hasUnresolved;

    internal ReadOnlySpan<HoconValue> Items => _items.AsSpan(0, _count);

    internal void Add(HoconValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (_count == _items.Length)
        {
            Array.Resize(ref _items, Math.Max(4, _count * 2));
        }

        _items[_count++] = value;
        _hasUnresolved |= !value.IsResolved;
    }

    /// <summary>Enumerates the elements in order.</summary>
    public IEnumerator<HoconValue> GetEnumerator()
    {
        for (var i = 0; i < _count; i++)
        {
            yield return _items[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
