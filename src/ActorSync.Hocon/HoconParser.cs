using System.Text;
using ActorSync.Hocon.Parsing;

namespace ActorSync.Hocon;

/// <summary>
/// Entry points: parse HOCON (or JSON or properties) text or files into a <see cref="HoconDocument"/>, or parse and
/// resolve into a <see cref="HoconConfig"/> in one call. Every error is a <see cref="HoconException"/> whose message
/// starts with <c>FILE:LINE:COLUMN:</c>.
/// </summary>
public static class HoconParser
{
    /// <summary>Parses text. The root may be an object (braces optional) or an array.</summary>
    /// <exception cref="HoconParseException">The text, or an included file, is not valid.</exception>
    public static HoconDocument Parse(string text, HoconParseOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        options ??= new HoconParseOptions();
        var context = IncludeContext.ForString(options);
        return new HoconDocument(DocumentParser.Parse(text, options.Description ?? "string", options.Syntax ?? HoconSyntax.Conf, context));
    }

    /// <summary>
    /// Parses a file (UTF-8, a BOM allowed). Origins name it by <paramref name="path"/> as given, so a relative path
    /// stays relative in messages; its includes are located next to it.
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="HoconParseException">The file, or an included one, is not valid.</exception>
    public static HoconDocument ParseFile(string path, HoconParseOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        options ??= new HoconParseOptions();
        var fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath))
        {
            throw new FileNotFoundException($"The configuration file '{path}' was not found.", path);
        }

        var text = File.ReadAllText(fullPath, Encoding.UTF8);
        return ParseText(text, fullPath, path, options);
    }

    /// <summary>Parses a file's text that was already read (by a file provider, say), with includes located next to <paramref name="fullPath"/>.</summary>
    internal static HoconDocument ParseText(string text, string fullPath, string display, HoconParseOptions options)
    {
        var context = IncludeContext.ForFile(options, fullPath, display);
        return new HoconDocument(DocumentParser.Parse(text, display, options.Syntax ?? HoconSyntaxes.FromExtension(fullPath), context));
    }

    /// <summary>Parses and resolves text whose root is an object.</summary>
    /// <exception cref="HoconException">Parsing or resolution failed, or the root is an array.</exception>
    public static HoconConfig LoadString(string text, HoconParseOptions? parseOptions = null, HoconResolveOptions? resolveOptions = null) =>
        Parse(text, parseOptions).ResolveConfig(resolveOptions);

    /// <summary>Parses and resolves a file whose root is an object.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="HoconException">Parsing or resolution failed, or the root is an array.</exception>
    public static HoconConfig LoadFile(string path, HoconParseOptions? parseOptions = null, HoconResolveOptions? resolveOptions = null) =>
        ParseFile(path, parseOptions).ResolveConfig(resolveOptions);
}
