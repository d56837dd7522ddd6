using System.Collections;
using ActorSync.Hocon.Internal;

namespace ActorSync.Hocon;

/// <summary>An array. Elements keep their order; an undefined optional substitution leaves no element behind.</summary>
public sealed class HoconArray : HoconValue, IReadOnlyList<HoconValue>
{
    // Like an object's fields, a plain simple element read by the parser stays a slice of the source until it is read.
    private ValueSlot[] _items;
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

    internal HoconArray(OriginRef origin, int capacity = 4)
        : base(origin) => _items = capacity == 0 ? [] : new ValueSlot[capacity];

    /// <summary>Takes <paramref name="items"/> as they are (the parser hands over an array of exactly the right size).</summary>
    internal HoconArray(OriginRef origin, ValueSlot[] items)
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
            return ValueAt(index);
        }
    }

    internal override bool IsResolved => !_hasUnresolved;

    /// <summary>The element at <paramref name="index"/>, made now if it was a slice of the source.</summary>
    internal HoconValue ValueAt(int index) => ValueSlot.ValueOf(ref _items[index]);

    /// <summary>True when the element at <paramref name="index"/> needs no resolving (without making it).</summary>
    internal bool IsResolvedAt(int index) => _items[index].IsResolved;

    internal void Add(HoconValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        Append(new ValueSlot(value));
        _hasUnresolved |= !value.IsResolved;
    }

    /// <summary>Appends the element at <paramref name="index"/> of <paramref name="other"/> as it is stored (a slice stays one).</summary>
    internal void AddFrom(HoconArray other, int index)
    {
        Append(other._items[index]);
        _hasUnresolved |= !other._items[index].IsResolved;
    }

    /// <summary>Appends every element of <paramref name="other"/>.</summary>
    internal void AddAll(HoconArray other)
    {
        for (var i = 0; i < other._count; i++)
        {
            AddFrom(other, i);
        }
    }

    /// <summary>Enumerates the elements in order.</summary>
    public IEnumerator<HoconValue> GetEnumerator()
    {
        for (var i = 0; i < _count; i++)
        {
            yield return ValueAt(i);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private void Append(in ValueSlot slot)
    {
        if (_count == _items.Length)
        {
            Array.Resize(ref _items, Math.Max(4, _count * 2));
        }

        _items[_count++] = slot;
    }
}
