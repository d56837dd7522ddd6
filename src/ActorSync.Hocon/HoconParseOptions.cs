namespace ActorSync.Hocon;

/// <summary>How to parse a document: its syntax, its name in origins, and where includes are looked for.</summary>
public sealed class HoconParseOptions
{
    /// <summary>The syntax; null means by file extension (<c>.json</c>, <c>.properties</c>, anything else HOCON), HOCON for strings.</summary>
    public HoconSyntax? Syntax { get; init; }

    /// <summary>
    /// The name a parsed string gets in origins and error messages (default <c>string</c>). Files are named by the
    /// path given to <see cref="HoconParser.ParseFile"/>.
    /// </summary>
    public string? Description { get; init; }

    /// <summary>
    /// The folder relative includes in a parsed string are located in. A file's <c>include "name"</c> is always located
    /// next to the file, never in the working directory. Without a base directory a string's relative includes are
    /// missing (ignored, or an error when <c>required(...)</c>). As the spec says "at present" and the reference
    /// implementation does, a relative <c>include file("name")</c> is read from the working directory instead.
    /// </summary>
    public string? BaseDirectory { get; init; }

    /// <summary>
    /// Folders searched, in order, when an include of the <c>include "name"</c> form is not found next to the including
    /// file; a leading '/' on the name is dropped. This stands in for the JVM classpath fallback of the spec.
    /// </summary>
    public IReadOnlyList<string> IncludeRoots { get; init; } = [];
}
