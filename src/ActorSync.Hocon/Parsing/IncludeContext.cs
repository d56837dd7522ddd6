namespace ActorSync.Hocon.Parsing;

internal enum IncludeKind
{
    Heuristic,
    File,
    Url,
    Classpath,
}

/// <summary>
/// What an include needs to know about the file that contains it: its folder (relative includes are located there,
/// never in the working directory), its include prefix, the chain of files being read (for cycle detection) and the
/// parse options. One instance per file being parsed.
/// </summary>
internal sealed class IncludeContext
{
    /// <summary>The reference implementation gives up after 50 nested includes; so do we.</summary>
    private const int MaxDepth = 50;

    private static readonly string[] KnownExtensions = [".properties", ".json", ".conf"];

    private readonly List<(string FullPath, string Display)> _chain;

    private IncludeContext(HoconParseOptions options, string? directory, string displayDirectory, string[]? prefix, List<(string, string)> chain)
    {
        Options = options;
        Directory = directory;
        DisplayDirectory = displayDirectory;
        Prefix = prefix;
        _chain = chain;
    }

    public HoconParseOptions Options { get; }

    /// <summary>The full path of the folder relative includes are located in; null when there is none (a string without a base).</summary>
    public string? Directory { get; }

    /// <summary>The same folder as the user wrote it, so that origins of included values stay readable and relative.</summary>
    public string DisplayDirectory { get; }

    /// <summary>The include point of this file: the path its substitutions are looked up under first; null inside an array.</summary>
    public string[]? Prefix { get; }

    public static IncludeContext ForFile(HoconParseOptions options, string fullPath, string display) =>
        new(options, Path.GetDirectoryName(fullPath), Path.GetDirectoryName(display) ?? "", [], [(fullPath, display)]);

    public static IncludeContext ForString(HoconParseOptions options) =>
        new(
            options,
            options.BaseDirectory is null ? null : Path.GetFullPath(options.BaseDirectory),
            options.BaseDirectory ?? "",
            [],
            []);

    /// <summary>
    /// Reads an include. A missing file is ignored unless <paramref name="required"/> (spec, "Include semantics: missing
    /// files and required files"); a name without a known extension loads every one of <c>name.properties</c>,
    /// <c>name.json</c> and <c>name.conf</c> that exists, merged in that order ("file formats and extensions").
    /// </summary>
    public HoconObject? Load(IncludeKind kind, string name, bool required, HoconOrigin origin, string[]? prefix)
    {
        if (kind == IncludeKind.Heuristic && TryGetUrl(name, out var url))
        {
            if (!url.IsFile)
            {
                throw new HoconParseException(origin, $"url includes are not supported (\"{name}\"): ActorSync reads local files only");
            }

            name = url.LocalPath;
            kind = IncludeKind.File;
        }

        switch (kind)
        {
            case IncludeKind.Url:
                throw new HoconParseException(origin, $"url() includes are not supported (url(\"{name}\")): ActorSync reads local files only");
            case IncludeKind.Classpath:
                throw new HoconParseException(origin, $"classpath() includes are not supported (classpath(\"{name}\")): .NET has no classpath; include a file instead");
        }

        var candidates = new List<(string FullPath, string Display)>();
        if (Path.IsPathRooted(name))
        {
            candidates.Add((name, name));
        }
        else if (kind == IncludeKind.File)
        {
            // Spec, "Include semantics: locating resources": "at present, if url()/file()/classpath() are specified, the
            // included items are NOT interpreted relative to the including items"; the reference implementation reads
            // them from the working directory, and so does this one (conformance: resources/file-include.conf).
            candidates.Add((Path.GetFullPath(name), name));
        }
        else if (Directory is not null)
        {
            candidates.Add((Path.GetFullPath(Path.Combine(Directory, name)), Path.Combine(DisplayDirectory, name)));
        }

        // Spec, "Include semantics: locating resources": when the file is not found next to the including one, fall back
        // to the classpath with any leading '/' removed; ActorSync's stand-in for the classpath is IncludeRoots.
        if (kind == IncludeKind.Heuristic)
        {
            foreach (var root in Options.IncludeRoots)
            {
                var relative = name.TrimStart('/', '\\');
                candidates.Add((Path.GetFullPath(Path.Combine(root, relative)), Path.Combine(root, relative)));
            }
        }

        foreach (var candidate in candidates)
        {
            var files = Expand(candidate);
            if (files.Count > 0)
            {
                return ParseFiles(files, origin, prefix);
            }
        }

        if (required)
        {
            var looked = candidates.Count == 0
                ? "a relative include needs the including file's folder or HoconParseOptions.BaseDirectory"
                : "looked for " + string.Join(", ", candidates.Select(c => Path.HasExtension(c.Display) ? c.Display : c.Display + ".{properties,json,conf}"));
            var hint = kind == IncludeKind.File && !Path.IsPathRooted(name)
                ? "; file() names are relative to the working directory, include \"name\" is relative to the including file"
                : "";
            throw new HoconParseException(origin, $"required include \"{name}\" was not found ({looked}{hint})");
        }

        return null;
    }

    private static bool TryGetUrl(string name, out Uri url)
    {
        // A scheme of two or more letters: "C:\x" is a Windows path, not a URL.
        var colon = name.IndexOf(':', StringComparison.Ordinal);
        if (colon > 1 && char.IsAsciiLetter(name[0]) && name[..colon].All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.') &&
            Uri.TryCreate(name, UriKind.Absolute, out var parsed))
        {
            url = parsed;
            return true;
        }

        url = null!;
        return false;
    }

    private static List<(string FullPath, string Display, HoconSyntax Syntax)> Expand((string FullPath, string Display) candidate)
    {
        var files = new List<(string, string, HoconSyntax)>();
        var extension = Path.GetExtension(candidate.FullPath);
        if (KnownExtensions.Contains(extension, StringComparer.OrdinalIgnoreCase))
        {
            if (File.Exists(candidate.FullPath))
            {
                files.Add((candidate.FullPath, candidate.Display, HoconSyntaxes.FromExtension(candidate.FullPath)));
            }

            return files;
        }

        foreach (var known in KnownExtensions)
        {
            if (File.Exists(candidate.FullPath + known))
            {
                files.Add((candidate.FullPath + known, candidate.Display + known, HoconSyntaxes.FromExtension(known)));
            }
        }

        if (files.Count == 0 && File.Exists(candidate.FullPath))
        {
            files.Add((candidate.FullPath, candidate.Display, HoconSyntax.Conf));
        }

        return files;
    }

    private HoconObject ParseFiles(List<(string FullPath, string Display, HoconSyntax Syntax)> files, HoconOrigin origin, string[]? prefix)
    {
        HoconValue? merged = null;
        foreach (var (fullPath, display, syntax) in files)
        {
            merged = Internal.Merging.MergeInPlace(merged, ParseFile(fullPath, display, syntax, origin, prefix));
        }

        return (HoconObject)merged!;
    }

    private HoconObject ParseFile(string fullPath, string display, HoconSyntax syntax, HoconOrigin origin, string[]? prefix)
    {
        if (_chain.Exists(entry => string.Equals(entry.FullPath, fullPath, StringComparison.Ordinal)))
        {
            throw new HoconParseException(origin, $"include cycle: {string.Join(" -> ", _chain.Select(entry => entry.Display))} -> {display}");
        }

        if (_chain.Count >= MaxDepth)
        {
            throw new HoconParseException(origin, $"includes are nested more than {MaxDepth} deep");
        }

        string text;
        try
        {
            text = File.ReadAllText(fullPath);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new HoconParseException(origin, $"cannot read included file {display}: {exception.Message}", exception);
        }

        _chain.Add((fullPath, display));
        try
        {
            var context = new IncludeContext(Options, Path.GetDirectoryName(fullPath), Path.GetDirectoryName(display) ?? "", prefix, _chain);
            var value = DocumentParser.Parse(text, display, syntax, context);
            return value as HoconObject ??
                throw new HoconParseException(new HoconOrigin(display, 1, 1), "an included file must contain an object, not an array (spec, \"Include semantics: merging\")");
        }
        finally
        {
            _chain.RemoveAt(_chain.Count - 1);
        }
    }
}
