using ActorSync.Hocon.Internal;

namespace ActorSync.Hocon.Parsing;

/// <summary>Setting a field's value in the object being parsed: merging with an earlier definition, and path keys.</summary>
internal sealed partial class Parser
{
    /// <summary>Spec, "Duplicate keys and object merging": a field defined again merges with (or replaces) the earlier value.</summary>
    private static void SetMerged<TLeaf>(HoconObject target, string key, TLeaf leaf)
        where TLeaf : struct, IFieldLeaf
    {
        var index = target.IndexOf(key);
        if (index < 0)
        {
            leaf.AddTo(target, key);
        }
        else
        {
            target.SetAt(index, Merging.MergeInPlace(target.ValueAt(index), leaf.Value));
        }
    }

    /// <summary>Spec, "Paths as keys": <c>a.b.c : 1</c> is <c>a { b { c : 1 } }</c>, merged like any duplicate key.</summary>
    private static void SetPath<TLeaf>(HoconObject target, ReadOnlySpan<string> keys, TLeaf leaf)
        where TLeaf : struct, IFieldLeaf
    {
        var key = keys[0];
        if (keys.Length == 1)
        {
            SetMerged(target, key, leaf);
            return;
        }

        var index = target.IndexOf(key);
        var existing = index < 0 ? null : target.ValueAt(index);
        if (existing is HoconObject child)
        {
            SetPath(child, keys[1..], leaf);
            if (!child.IsResolved)
            {
                target.MarkUnresolved();
            }

            return;
        }

        var created = new HoconObject(leaf.OriginRef);
        SetPath(created, keys[1..], leaf);
        if (index < 0)
        {
            target.Add(key, created);
        }
        else
        {
            target.SetAt(index, Merging.MergeInPlace(existing, created));
        }
    }

    /// <summary>The value of a field being set: a value, or a simple value the object makes when it is first read.</summary>
    private interface IFieldLeaf
    {
        public OriginRef OriginRef { get; }

        public HoconValue Value { get; }

        public void AddTo(HoconObject target, string key);
    }

    private readonly struct ValueLeaf(HoconValue value) : IFieldLeaf
    {
        public OriginRef OriginRef => value.OriginRef;

        public HoconValue Value => value;

        public void AddTo(HoconObject target, string key) => target.Add(key, value);
    }

    private readonly struct ScalarLeaf(Scalar scalar) : IFieldLeaf
    {
        public OriginRef OriginRef => scalar.OriginRef;

        public HoconValue Value => scalar.Create();

        public void AddTo(HoconObject target, string key) => target.Add(key, scalar);
    }
}
