using ActorSync.Hocon.Resolution;

namespace ActorSync.Hocon;

/// <summary>
/// A parsed, not yet resolved document: its root object or array may still hold substitutions. Resolve it to get
/// values; substitutions are resolved against the whole document, so resolve once after everything is merged.
/// </summary>
public sealed class HoconDocument
{
    private readonly HoconValue _root;

    internal HoconDocument(HoconValue root) => _root = root;

    /// <summary>Where the document starts.</summary>
    public HoconOrigin Origin => _root.Origin;

    /// <summary>True when the root is an array (valid HOCON, but not something a configuration can be loaded from).</summary>
    public bool IsArray => _root is HoconArray;

    /// <summary>True when the document holds no substitution to resolve.</summary>
    public bool IsResolved => _root.IsResolved;

    /// <summary>Resolves every substitution and concatenation and returns the root object or array.</summary>
    /// <exception cref="HoconResolveException">A substitution has no value, substitutions form a cycle, or a concatenation mixes types.</exception>
    public HoconValue Resolve(HoconResolveOptions? options = null) => new Resolver(_root, options ?? HoconResolveOptions.Default).ResolveRoot();

    /// <summary>Resolves the document and wraps its root object for typed access.</summary>
    /// <exception cref="HoconResolveException">Resolution failed.</exception>
    /// <exception cref="HoconParseException">The root is an array.</exception>
    public HoconConfig ResolveConfig(HoconResolveOptions? options = null) =>
        Resolve(options) is HoconObject root
            ? new HoconConfig(root)
            : throw new HoconParseException(Origin, "expected an object at the root of a configuration, found an array");
}
