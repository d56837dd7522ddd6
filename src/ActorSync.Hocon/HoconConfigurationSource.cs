using Microsoft.Extensions.Configuration;

namespace ActorSync.Hocon;

/// <summary>A HOCON file as a configuration source (see <see cref="HoconConfigurationExtensions.AddHoconFile(IConfigurationBuilder, string)"/>).</summary>
public sealed class HoconConfigurationSource : FileConfigurationSource
{
    /// <summary>The file's name in origins and error messages; defaults to <see cref="FileConfigurationSource.Path"/> as given.</summary>
    public string? OriginPath { get; set; }

    /// <summary>Folders searched when an <c>include "name"</c> is not found next to the including file.</summary>
    public IReadOnlyList<string> IncludeRoots { get; set; } = [];

    /// <summary>How substitutions resolve; by default they fall back to the process environment.</summary>
    public HoconResolveOptions ResolveOptions { get; set; } = HoconResolveOptions.Default;

    /// <summary>Creates the provider.</summary>
    public override IConfigurationProvider Build(IConfigurationBuilder builder)
    {
        EnsureDefaults(builder);
        return new HoconConfigurationProvider(this);
    }
}
