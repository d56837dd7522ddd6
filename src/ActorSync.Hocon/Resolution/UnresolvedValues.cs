using ActorSync.Hocon.Internal;

namespace ActorSync.Hocon.Resolution;

/// <summary>A value that only resolution can finish: a substitution, a concatenation holding one, or a delayed merge.</summary>
internal abstract class UnresolvedValue(OriginRef origin) : HoconValue(origin)
{
    internal override bool IsResolved => false;
}

/// <summary>
/// <c>${path}</c> or <c>${?path}</c>. <see cref="Prefix"/> is the include point of the file it was written in: the path is
/// looked up under the prefix first, then from the root (spec, "Include semantics: substitution").
/// </summary>
internal sealed class Substitution(string[] path, bool optional, string[]? prefix, OriginRef origin) : UnresolvedValue(origin)
{
    public string[] Path { get; } = path;

    public bool Optional { get; } = optional;

    public string[]? Prefix { get; } = prefix;

    public override string ToString() => (Optional ? "${?" : "${") + HoconPath.FromOwned(Path) + "}";
}

/// <summary>
/// A value concatenation with at least one substitution: its type (string, array or object) is known only once the
/// substitutions are. Whitespace between the pieces is kept as unquoted strings.
/// </summary>
internal sealed class Concatenation(List<HoconValue> pieces, OriginRef origin) : UnresolvedValue(origin)
{
    public List<HoconValue> Pieces { get; } = pieces;
}

/// <summary>
/// Definitions of one field that could not be merged while parsing because one of them is unresolved, oldest first.
/// The newest wins; objects merge into the ones below them; a non-object hides everything below it. A
/// self-reference resolved while element <c>i</c> is being resolved sees elements <c>0..i-1</c> only (spec,
/// "Self-Referential Substitutions": "look back in the merge stack").
/// </summary>
internal sealed class DelayedMerge(List<HoconValue> stack, OriginRef origin) : UnresolvedValue(origin)
{
    public List<HoconValue> Stack { get; } = stack;
}
