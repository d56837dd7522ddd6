using Microsoft.Extensions.Configuration;

namespace ActorSync.Hocon;

/// <summary>HOCON text as a configuration source (see <see cref="HoconConfigurationExtensions.AddHoconString"/>).</summary>
public sealed class HoconStringConfigurationSource : IConfigurationSource
{
    /// <summary>The HOCON text.</summary>
    public string Text { get; set; } = "";

    /// <summary>Its name in origins, its base directory for includes, its syntax.</summary>
    public HoconParseOptions ParseOptions { get; set; } = new();

    /// <summary>How substitutions resolve; by default they fall back to the process environment.</summary>
    public HoconResolveOptions ResolveOptions { get; set; } = HoconResolveOptions.Default;

    /// <summary>Creates the provider.</summary>
    public IConfigurationProvider Build(IConfigurationBuilder builder) => new HoconStringConfigurationProvider(this);
}

/// <summary>Loads HOCON text into Microsoft.Extensions.Configuration, with origins, like <see cref="HoconConfigurationProvider"/>.</summary>
public sealed class HoconStringConfigurationProvider : ConfigurationProvider
{
    private readonly HoconStringConfigurationSource _source;
    private Dictionary<string, HoconOrigin> _origins = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Creates a provider for <paramref name="source"/>.</summary>
    public HoconStringConfigurationProvider(HoconStringConfigurationSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        _source = source;
    }

    /// <summary>Where the value of <paramref name="key"/> (a value or a section) was written.</summary>
    public bool TryGetOrigin(string key, out HoconOrigin origin) => _origins.TryGetValue(key, out origin);

    /// <summary>Parses and resolves the text.</summary>
    /// <exception cref="HoconException">The text is not valid, or its root is an array.</exception>
    public override void Load() =>
        (Data, _origins) = HoconConfigurationProvider.Flatten(HoconParser.LoadString(_source.Text, _source.ParseOptions, _source.ResolveOptions).Root);
}
