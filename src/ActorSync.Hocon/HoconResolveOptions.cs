namespace ActorSync.Hocon;

/// <summary>How to resolve substitutions.</summary>
public sealed class HoconResolveOptions
{
    /// <summary>The default: substitutions not found in the document fall back to the process environment.</summary>
    public static HoconResolveOptions Default { get; } = new();

    /// <summary>No fallback: a substitution not found in the document is undefined.</summary>
    public static HoconResolveOptions WithoutEnvironment { get; } = new() { UseEnvironment = false };

    /// <summary>
    /// Whether a substitution of a single key that the document does not define (not even as null) falls back to the
    /// environment variable of that name (spec, "Substitution fallback to environment variables"). Default true.
    /// </summary>
    public bool UseEnvironment { get; init; } = true;

    /// <summary>The variables to fall back to; null means the process environment. Names are case-sensitive.</summary>
    public IReadOnlyDictionary<string, string?>? Environment { get; init; }
}
