using Microsoft.Extensions.Configuration;

namespace ActorSync.Hocon;

/// <summary>Adds HOCON files and strings to a configuration builder, and finds where a key was written.</summary>
public static class HoconConfigurationExtensions
{
    /// <summary>Adds a required HOCON file (relative paths resolve against the builder's base path, as for JSON files).</summary>
    public static IConfigurationBuilder AddHoconFile(this IConfigurationBuilder builder, string path) =>
        AddHoconFile(builder, path, optional: false, reloadOnChange: false);

    /// <summary>Adds a HOCON file.</summary>
    public static IConfigurationBuilder AddHoconFile(this IConfigurationBuilder builder, string path, bool optional) =>
        AddHoconFile(builder, path, optional, reloadOnChange: false);

    /// <summary>Adds a HOCON file, optionally reloaded when it changes (its includes are not watched).</summary>
    public static IConfigurationBuilder AddHoconFile(this IConfigurationBuilder builder, string path, bool optional, bool reloadOnChange)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return AddHoconFile(builder, source =>
        {
            source.Path = path;
            source.OriginPath = path;
            source.Optional = optional;
            source.ReloadOnChange = reloadOnChange;
            source.ResolveFileProvider();
        });
    }

    /// <summary>Adds a HOCON file configured by <paramref name="configureSource"/> (environment, include roots, file provider).</summary>
    public static IConfigurationBuilder AddHoconFile(this IConfigurationBuilder builder, Action<HoconConfigurationSource>? configureSource)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Add(configureSource);
    }

    /// <summary>Adds HOCON text.</summary>
    public static IConfigurationBuilder AddHoconString(
        this IConfigurationBuilder builder,
        string text,
        HoconParseOptions? parseOptions = null,
        HoconResolveOptions? resolveOptions = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(text);
        return builder.Add(new HoconStringConfigurationSource
        {
            Text = text,
            ParseOptions = parseOptions ?? new HoconParseOptions(),
            ResolveOptions = resolveOptions ?? HoconResolveOptions.Default,
        });
    }

    /// <summary>
    /// Where the value of <paramref name="key"/> (e.g. <c>actorsync:syncs:1:source</c>, a value or a section) was
    /// written, from the last HOCON provider that defines it; false when no HOCON provider does.
    /// </summary>
    public static bool TryGetHoconOrigin(this IConfigurationRoot configuration, string key, out HoconOrigin origin)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        foreach (var provider in configuration.Providers.Reverse())
        {
            if ((provider is HoconConfigurationProvider file && file.TryGetOrigin(key, out origin)) ||
                (provider is HoconStringConfigurationProvider text && text.TryGetOrigin(key, out origin)))
            {
                return true;
            }

            if (provider.TryGet(key, out _))
            {
                // A later non-HOCON provider (environment variables, say) set this key: its origin is unknown.
                break;
            }
        }

        origin = default;
        return false;
    }
}
