using System.Collections;

namespace ActorSync.Hocon;

/// <summary>An array. Elements keep their order; an undefined optional substitution leaves no element behind.</summary>
public sealed class HoconArray : HoconValue, IReadOnlyList<HoconValue>
{
    private readonly List<HoconValue> _items;
    private bool _hasUnresolved;

    /// <summary>Creates an array holding <paramref name="items"/>.</summary>
    public HoconArray(IEnumerable<HoconValue> items, HoconOrigin origin)
        : base(origin)
    {
        _items = [];
        foreach (var item in items)
        {
            Add(item);
        }
    }

    internal HoconArray(HoconOrigin origin, int capacity = 4)
        : base(origin) => _items = new List<HoconValue>(capacity);

    /// <summary>The number of elements.</summary>
    public int Count => _items.Count;

    /// <summary>The element at <paramref name="index"/>.</summary>
    public HoconValue this[int index] => _items[index];

    internal override bool IsResolved => !_hasUnresolved;

    internal List<HoconValue> Items => _items;

    internal void Add(HoconValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        _items.Add(value);
        _hasUnresolved |= !value.IsResolved;
    }

    /// <summary>Enumerates the elements in order.</summary>
    public IEnumerator<HoconValue> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
