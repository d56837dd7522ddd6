using ActorSync.Hocon.Resolution;

namespace ActorSync.Hocon.Internal;

/// <summary>
/// Spec, "Duplicate keys and object merging": a later value overrides an earlier one unless both are objects, which
/// merge field by field. A merge that involves an unresolved value is delayed (<see cref="DelayedMerge"/>) until
/// resolution knows what the value is.
/// </summary>
internal static class Merging
{
    /// <summary>Parse-time merge: may change <paramref name="existing"/> in place, which is fresh parser output.</summary>
    public static HoconValue MergeInPlace(HoconValue? existing, HoconValue value)
    {
        if (existing is null)
        {
            return value;
        }

        switch (value)
        {
            case HoconObject incoming when existing is HoconObject target:
                MergeObjectInto(target, incoming);
                return target;
            case HoconObject incoming when existing is DelayedMerge { Stack: [.., HoconObject top] } delayed:
                MergeObjectInto(top, incoming);
                return delayed;
            case HoconObject or UnresolvedValue when existing is DelayedMerge delayed:
                delayed.Stack.Add(value);
                return delayed;
            case HoconObject when existing is UnresolvedValue:
            case UnresolvedValue:
                return new DelayedMerge([existing, value], value.OriginRef);
            default:
                return value;
        }
    }

    /// <summary>Resolve-time merge of two objects into a new one; neither input changes.</summary>
    public static HoconObject MergeObjects(HoconObject fallback, HoconObject top)
    {
        var merged = new HoconObject(top.OriginRef, fallback.Count + top.Count);
        foreach (var (key, value) in fallback)
        {
            merged.Set(key, value);
        }

        foreach (var (key, value) in top)
        {
            merged.Set(key, merged.TryGetValue(key, out var below) ? MergeValues(below, value) : value);
        }

        return merged;
    }

    /// <summary>
    /// Spec, "Conversion of numerically-indexed objects to arrays": keys that parse as non-negative integers, sorted
    /// by value, other keys ignored; null when there are none.
    /// </summary>
    public static HoconArray? NumericObjectToArray(HoconObject value)
    {
        var indexed = new List<(long Index, HoconValue Value)>();
        foreach (var (key, element) in value)
        {
            if (key.Length > 0 && key.All(char.IsAsciiDigit) && long.TryParse(key, out var index))
            {
                indexed.Add((index, element));
            }
        }

        if (indexed.Count == 0)
        {
            return null;
        }

        indexed.Sort((a, b) => a.Index.CompareTo(b.Index));
        var array = new HoconArray(value.OriginRef, indexed.Count);
        foreach (var (_, element) in indexed)
        {
            array.Add(element);
        }

        return array;
    }

    private static HoconValue MergeValues(HoconValue below, HoconValue top) => top switch
    {
        HoconObject topObject when below is HoconObject belowObject => MergeObjects(belowObject, topObject),
        HoconObject or UnresolvedValue when below is DelayedMerge delayed => new DelayedMerge([.. delayed.Stack, top], top.OriginRef),
        HoconObject when below is UnresolvedValue => new DelayedMerge([below, top], top.OriginRef),
        UnresolvedValue => new DelayedMerge([below, top], top.OriginRef),
        _ => top,
    };

    private static void MergeObjectInto(HoconObject target, HoconObject source)
    {
        foreach (var (key, value) in source)
        {
            target.Set(key, target.TryGetValue(key, out var existing) ? MergeInPlace(existing, value) : value);
        }
    }
}
