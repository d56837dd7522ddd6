using System.Runtime.InteropServices;
using System.Text;
using ActorSync.Hocon.Internal;

namespace ActorSync.Hocon.Resolution;

/// <summary>
/// Resolves a parsed tree (spec, "Substitutions" and "Self-Referential Substitutions"). Two levels of work, both
/// memoized per node, so each substitution instance is resolved once:
/// <list type="bullet">
/// <item><see cref="Shallow"/> finds out what an unresolved node is (an object, an array or a simple value) without
/// resolving its children. Lookups walk the tree with it, so <c>bar : { foo : 42, baz : ${bar.foo} }</c> resolves only
/// <c>bar.foo</c>, never all of <c>bar</c>.</item>
/// <item><see cref="Full"/> resolves everything below a node.</item>
/// </list>
/// A lookup that reaches a node whose shallow resolution is under way has found a cycle. If that node is a
/// <see cref="DelayedMerge"/>, the cycle is broken by looking back: the lookup sees only the definitions below the one
/// being resolved (<c>path = ${path}":/bin"</c>). Otherwise there is nothing to look back to and the substitution is
/// undefined, which is an error unless it is optional.
/// </summary>
internal sealed class Resolver
{
    /// <summary>What a lookup returns when it ran into a cycle it could not break.</summary>
    private static readonly HoconValue Cycle = new HoconNull(new HoconOrigin("cycle", 0, 0));

    /// <summary>What <see cref="Full"/> records for a node while resolving it: meeting it again is a structural cycle.</summary>
    private static readonly HoconValue InProgress = new HoconNull(new HoconOrigin("in progress", 0, 0));

    /// <summary>The text of a string concatenation being joined (joins do not nest, so one suffices).</summary>
    private readonly StringBuilder _text = new();

    private readonly HoconValue _root;
    private readonly HoconResolveOptions _options;
    private IReadOnlyDictionary<string, string?>? _environment;
    private readonly Dictionary<HoconValue, HoconValue?> _shallow = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<HoconValue, HoconValue?> _full = new(ReferenceEqualityComparer.Instance);

    /// <summary>Nodes whose shallow resolution is under way; for a delayed merge, the index of the definition being resolved.</summary>
    private readonly Dictionary<HoconValue, int> _shallowInProgress = new(ReferenceEqualityComparer.Instance);

    /// <summary>Substitutions being resolved, outermost first: the chain a cycle message names.</summary>
    private readonly List<Substitution> _active = [];

    public Resolver(HoconValue root, HoconResolveOptions options)
    {
        _root = root;
        _options = options;
    }

    /// <summary>Read once, on the first substitution that needs it, so documents without one never copy the environment.</summary>
    private IReadOnlyDictionary<string, string?>? Environment =>
        _options.UseEnvironment ? _environment ??= _options.Environment ?? ProcessEnvironment.Snapshot() : null;

    public HoconValue ResolveRoot() => Full(_root) ?? new HoconObject(_root.OriginRef);

    /// <summary>Resolves a node and everything below it; null when it is an undefined optional substitution.</summary>
    private HoconValue? Full(HoconValue value)
    {
        if (value.IsResolved)
        {
            return value;
        }

        // One lookup finds a node resolved before, a node being resolved (a structural cycle) or a new one, marked as
        // being resolved until it is done.
        ref var known = ref CollectionsMarshal.GetValueRefOrAddDefault(_full, value, out var seen);
        if (seen)
        {
            return ReferenceEquals(known, InProgress) ? throw new StructuralCycleException() : known;
        }

        known = InProgress;
        var done = false;
        try
        {
            HoconValue? result;
            try
            {
                result = value switch
                {
                    HoconObject obj => FullObject(obj),
                    HoconArray array => FullArray(array),
                    _ => Shallow(value) is { } shallow ? Full(shallow) : null,
                };
            }
            catch (StructuralCycleException) when (value is Substitution substitution)
            {
                // Spec: a: { b: ${a} } and a: [${a}] are "unbreakable cycles that generate an error"; an optional
                // substitution treats the cycle as a missing value.
                if (substitution.Optional)
                {
                    result = null;
                }
                else
                {
                    throw new HoconResolveException(
                        substitution.Origin,
                        $"could not resolve {substitution}: the value it refers to contains this substitution itself, a cycle that cannot be broken");
                }
            }

            _full[value] = result;
            done = true;
            return result;
        }
        finally
        {
            if (!done)
            {
                _full.Remove(value);
            }
        }
    }

    private HoconObject FullObject(HoconObject obj)
    {
        // Most fields are resolved already: copy the object and replace the values that change. A field whose value
        // turns out undefined (an optional substitution) disappears, which the copy cannot do: build the object
        // field by field then (Full remembers what it resolved, so nothing is resolved twice).
        var resolved = obj.CopyForResolution();
        for (var i = 0; i < obj.Count; i++)
        {
            if (obj.IsResolvedAt(i))
            {
                continue;
            }

            if (Full(obj.ValueAt(i)) is not { } value)
            {
                return FullObjectWithoutUndefined(obj);
            }

            resolved.SetAt(i, value);
        }

        return resolved;
    }

    private HoconObject FullObjectWithoutUndefined(HoconObject obj)
    {
        var resolved = new HoconObject(obj.OriginRef, obj.Count);
        foreach (var (key, child) in obj)
        {
            if (Full(child) is { } value)
            {
                resolved.Add(key, value);
            }
        }

        return resolved;
    }

    private HoconArray FullArray(HoconArray array)
    {
        var resolved = new HoconArray(array.OriginRef, array.Count);
        for (var i = 0; i < array.Count; i++)
        {
            if (array.IsResolvedAt(i))
            {
                resolved.AddFrom(array, i);
            }
            else if (Full(array.ValueAt(i)) is { } value)
            {
                resolved.Add(value);
            }
        }

        return resolved;
    }

    /// <summary>
    /// What a node is, without resolving its children: an object or array (children may be unresolved), a simple
    /// value, null when undefined, or <see cref="Cycle"/> when a lookup reached a node under resolution with nothing to
    /// look back to.
    /// </summary>
    private HoconValue? Shallow(HoconValue node)
    {
        if (node is not UnresolvedValue)
        {
            return node;
        }

        if (_shallow.TryGetValue(node, out var known))
        {
            return known;
        }

        if (_shallowInProgress.TryGetValue(node, out var index))
        {
            return node is DelayedMerge merge && index > 0 ? ShallowMerge(merge, index - 1) : Cycle;
        }

        _shallowInProgress[node] = -1;
        try
        {
            var result = node switch
            {
                Substitution substitution => ShallowSubstitution(substitution),
                Concatenation concatenation => ShallowConcatenation(concatenation),
                DelayedMerge merge => ShallowMerge(merge, merge.Stack.Count - 1),
                _ => throw new InvalidOperationException($"Unexpected node {node.GetType().Name}."),
            };
            _shallow[node] = result;
            return result;
        }
        finally
        {
            _shallowInProgress.Remove(node);
        }
    }

    private HoconValue? ShallowSubstitution(Substitution substitution)
    {
        _active.Add(substitution);
        try
        {
            var cycle = false;
            if (substitution.Prefix is { Length: > 0 } prefix)
            {
                var relative = Lookup([.. prefix, .. substitution.Path]);
                if (relative is not null && !ReferenceEquals(relative, Cycle))
                {
                    return relative;
                }

                cycle = ReferenceEquals(relative, Cycle);
            }

            var found = Lookup(substitution.Path);
            if (found is not null && !ReferenceEquals(found, Cycle))
            {
                return found;
            }

            cycle |= ReferenceEquals(found, Cycle);
            if (substitution.Path.Length == 1 && Environment is { } environment &&
                environment.TryGetValue(substitution.Path[0], out var variable) && variable is not null)
            {
                return new HoconString(variable, substitution.Origin);
            }

            return substitution.Optional ? null : throw Unresolved(substitution, cycle);
        }
        finally
        {
            _active.RemoveAt(_active.Count - 1);
        }
    }

    private HoconResolveException Unresolved(Substitution substitution, bool cycle)
    {
        var path = HoconPath.FromOwned(substitution.Path).ToString();
        var environment = substitution.Path.Length == 1 && _options.UseEnvironment ? $", and no environment variable {path} is set" : "";
        if (cycle && _active.Count > 1)
        {
            var chain = string.Join(" -> ", _active.Select(active => $"{active} ({active.Origin})"));
            return new HoconResolveException(substitution.Origin, $"could not resolve {substitution}: it is part of a cycle: {chain} -> {_active[0]}");
        }

        if (cycle)
        {
            return new HoconResolveException(
                substitution.Origin,
                $"could not resolve {substitution}: it refers to the field it defines, which has no earlier value to refer to{environment}");
        }

        var where = substitution.Prefix is { Length: > 0 } prefix
            ? $"no value at '{HoconPath.FromOwned([.. prefix, .. substitution.Path])}' (relative to the include) or at '{path}'"
            : $"no value at '{path}'";
        return new HoconResolveException(substitution.Origin, $"could not resolve {substitution}: {where}{environment}");
    }

    /// <summary>Follows a path from the root; null when it leads nowhere or to an undefined value.</summary>
    private HoconValue? Lookup(string[] path)
    {
        var node = _root;
        for (var i = 0; i < path.Length; i++)
        {
            var current = Shallow(node);
            if (ReferenceEquals(current, Cycle))
            {
                return Cycle;
            }

            if (current is not HoconObject obj || !obj.TryGetValue(path[i], out node))
            {
                return null;
            }
        }

        return Shallow(node);
    }

    /// <summary>
    /// Definitions <c>0..top</c> of a delayed merge, newest first: undefined ones are skipped, objects merge into the
    /// ones below, and the first non-object hides everything below it.
    /// </summary>
    private HoconValue? ShallowMerge(DelayedMerge merge, int top)
    {
        List<HoconObject>? objects = null;
        var saved = _shallowInProgress[merge];
        try
        {
            for (var i = top; i >= 0; i--)
            {
                _shallowInProgress[merge] = i;
                var value = Shallow(merge.Stack[i]);
                if (value is null || ReferenceEquals(value, Cycle))
                {
                    continue;
                }

                if (value is HoconObject obj)
                {
                    (objects ??= []).Add(obj);
                    continue;
                }

                if (objects is null)
                {
                    return value;
                }

                break;
            }
        }
        finally
        {
            _shallowInProgress[merge] = saved;
        }

        if (objects is null)
        {
            return null;
        }

        var result = objects[^1];
        for (var i = objects.Count - 2; i >= 0; i--)
        {
            result = Merging.MergeObjects(result, objects[i]);
        }

        return result;
    }

    /// <summary>
    /// Spec, "Value concatenation": simple values join into a string (whitespace between them kept, an undefined
    /// optional substitution becomes ""), arrays append, objects merge; unquoted whitespace next to arrays and objects
    /// is ignored; anything else mixed is an error.
    /// </summary>
    private HoconValue? ShallowConcatenation(Concatenation concatenation)
    {
        var values = new HoconValue?[concatenation.Pieces.Count];
        HoconValue? firstContainer = null;
        HoconValue? firstSimple = null;
        var defined = 0;
        var whitespace = false;
        var hasArray = false;
        var hasObject = false;
        for (var i = 0; i < values.Length; i++)
        {
            var value = Shallow(concatenation.Pieces[i]);
            value = ReferenceEquals(value, Cycle) ? null : value;
            values[i] = value;
            switch (value)
            {
                case null:
                    continue;
                case HoconString { IsIgnorableWhitespace: true }:
                    whitespace = true;
                    continue;
                case HoconArray:
                    hasArray = true;
                    firstContainer ??= value;
                    break;
                case HoconObject:
                    hasObject = true;
                    firstContainer ??= value;
                    break;
                default:
                    firstSimple ??= value;
                    break;
            }

            defined++;
        }

        if (defined == 0)
        {
            return null;
        }

        if (firstContainer is not null && firstSimple is not null)
        {
            throw new HoconResolveException(
                concatenation.Origin,
                $"cannot concatenate {(firstContainer is HoconArray ? "an array" : "an object")} (from {firstContainer.Origin}) with a string, number, boolean or null (spec, \"Value concatenation\")");
        }

        if (hasArray)
        {
            return ConcatenateArrays(concatenation, values, hasObject);
        }

        if (hasObject)
        {
            HoconObject? merged = null;
            foreach (var value in values)
            {
                if (value is HoconObject obj)
                {
                    merged = merged is null ? obj : Merging.MergeObjects(merged, obj);
                }
            }

            return merged;
        }

        if (defined == 1 && !whitespace)
        {
            return firstSimple;
        }

        _text.Clear();
        foreach (var value in values)
        {
            _text.Append(value?.ToString());
        }

        return new HoconString(_text.ToString(), concatenation.OriginRef, quoted: true);
    }

    private static HoconArray ConcatenateArrays(Concatenation concatenation, HoconValue?[] values, bool hasObject)
    {
        var result = new HoconArray(concatenation.OriginRef);
        foreach (var value in values)
        {
            var array = value switch
            {
                HoconArray a => a,
                HoconObject obj when hasObject => Merging.NumericObjectToArray(obj) ?? throw new HoconResolveException(
                    concatenation.Origin,
                    $"cannot concatenate an object (from {obj.Origin}) with an array (spec, \"Array and object concatenation\")"),
                _ => null,
            };
            if (array is not null)
            {
                result.AddAll(array);
            }
        }

        return result;
    }

    /// <summary>Thrown when full resolution re-enters a node it is resolving: a value that contains itself.</summary>
    private sealed class StructuralCycleException : Exception
    {
    }
}
