using ActorSync.Hocon.Internal;
using Microsoft.Extensions.Configuration;

namespace ActorSync.Hocon;

/// <summary>
/// Loads a HOCON file into Microsoft.Extensions.Configuration: the document is parsed, its includes read (relative to
/// the file), its substitutions resolved, and the result flattened to keys such as <c>actorsync:syncs:0:name</c>
/// (case-insensitive, as everywhere in .NET configuration). <see cref="TryGetOrigin"/> tells where each key's value was
/// written, for validation messages. With <c>reloadOnChange</c> only the file itself is watched, not its includes.
/// </summary>
/// <remarks>
/// A parse or resolve error reaches the caller as the base class reports load errors: an
/// <see cref="InvalidDataException"/> whose inner exception is the <see cref="HoconException"/>, unless
/// <see cref="FileConfigurationSource.OnLoadException"/> handles it.
/// </remarks>
public sealed class HoconConfigurationProvider : FileConfigurationProvider
{
    private Dictionary<string, HoconOrigin> _origins = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Creates a provider for <paramref name="source"/>.</summary>
    public HoconConfigurationProvider(HoconConfigurationSource source)
        : base(source)
    {
    }

    /// <summary>
    /// The resolved document as a tree, or null before <see cref="Load(Stream)"/>: for consumers that need what the flattened
    /// keys lose (the case of keys, arrays as arrays, origins of whole objects).
    /// </summary>
    public HoconObject? Root { get; private set; }

    /// <summary>Where the value of <paramref name="key"/> (a value or a section) was written.</summary>
    public bool TryGetOrigin(string key, out HoconOrigin origin) => _origins.TryGetValue(key, out origin);

    /// <summary>Parses and resolves the file's text.</summary>
    /// <exception cref="HoconException">The document is not valid, or its root is an array.</exception>
    public override void Load(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var source = (HoconConfigurationSource)Source;
        var path = source.Path ?? "";
        var fullPath = source.FileProvider?.GetFileInfo(path).PhysicalPath ?? System.IO.Path.GetFullPath(path);
        string text;
        using (var reader = new StreamReader(stream))
        {
            text = reader.ReadToEnd();
        }

        var document = HoconParser.ParseText(text, fullPath, source.OriginPath ?? path, new HoconParseOptions { IncludeRoots = source.IncludeRoots });
        Root = document.ResolveConfig(source.ResolveOptions).Root;
        (Data, _origins) = Flatten(Root);
    }

    internal static (Dictionary<string, string?> Data, Dictionary<string, HoconOrigin> Origins) Flatten(HoconObject root)
    {
        var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var origins = new Dictionary<string, HoconOrigin>(StringComparer.OrdinalIgnoreCase);
        ConfigurationFlattener.Flatten(root, data, origins);
        return (data, origins);
    }
}
