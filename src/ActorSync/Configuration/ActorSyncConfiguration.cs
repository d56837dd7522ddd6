using ActorSync.Hocon;
using Microsoft.Extensions.Configuration;

namespace ActorSync.Configuration;

/// <summary>
/// A loaded, validated configuration: what the service runs from. <see cref="Load"/> is the one entry point: it reads
/// the HOCON file (environment variables fill in <c>${?VARIABLE}</c> substitutions), binds the <c>actorsync</c> section,
/// checks it, and either returns the result or throws <see cref="InvalidConfigurationException"/> with every problem.
/// </summary>
public sealed class ActorSyncConfiguration
{
    /// <summary>The top-level key whose block configures Akka.NET.</summary>
    public const string AkkaSection = "akka";

    private ActorSyncConfiguration(string path, ActorSyncOptions options, IReadOnlyList<SyncDefinition> syncs, HoconObject? akka)
    {
        Path = path;
        Options = options;
        Syncs = syncs;
        Akka = akka;
    }

    /// <summary>The configuration file, as given.</summary>
    public string Path { get; }

    /// <summary>The bound options.</summary>
    public ActorSyncOptions Options { get; }

    /// <summary>The syncs with their names parsed and defaults applied, in configuration order.</summary>
    public IReadOnlyList<SyncDefinition> Syncs { get; }

    /// <summary>
    /// The file's top-level <c>akka { }</c> block, parsed and resolved by our HOCON library (substitutions such as
    /// <c>${?VAR}</c> filled in), or null when there is none. Its keys are Akka.NET's to judge: the host hands the tree to
    /// Akka.Hosting as it is.
    /// </summary>
    public HoconObject? Akka { get; }

    /// <summary>Loads and validates the HOCON file at <paramref name="path"/>.</summary>
    /// <param name="path">The file; relative paths are relative to the working directory and stay relative in messages.</param>
    /// <param name="environment">Variables for substitutions the file does not define; null means the process environment.</param>
    /// <exception cref="InvalidConfigurationException">The file is missing, not valid HOCON, or has invalid settings.</exception>
    public static ActorSyncConfiguration Load(string path, IReadOnlyDictionary<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        var fullPath = System.IO.Path.GetFullPath(path);
        if (!File.Exists(fullPath))
        {
            throw new InvalidConfigurationException(path, [new ConfigurationProblem(path, "", "the configuration file does not exist")]);
        }

        IConfigurationRoot configuration;
        try
        {
            configuration = new ConfigurationBuilder()
                .AddHoconFile(source =>
                {
                    source.Path = fullPath;
                    source.OriginPath = path;
                    source.ResolveOptions = new HoconResolveOptions { Environment = environment };
                    source.ResolveFileProvider();
                })
                .Build();
        }
        catch (Exception exception) when (FindHoconException(exception) is { } hocon)
        {
            throw new InvalidConfigurationException(path, [ConfigurationProblem.FromHocon(hocon)], hocon);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new InvalidConfigurationException(path, [new ConfigurationProblem(path, "", $"cannot read the file: {exception.Message}")], exception);
        }

        var root = configuration.Providers.OfType<HoconConfigurationProvider>().Single().Root;
        HoconObject? akka = null;
        if (root is not null && root.TryGetValue(AkkaSection, out var value))
        {
            akka = value as HoconObject ?? throw new InvalidConfigurationException(
                path,
                [new ConfigurationProblem(value.Origin.ToString(), AkkaSection, "expected an object of Akka.NET settings such as akka { loglevel = DEBUG }")
                { Origin = value.Origin }]);
        }

        return FromConfiguration(configuration, path, akka);
    }

    /// <summary>Binds and validates the <c>actorsync</c> section of a configuration built elsewhere.</summary>
    /// <param name="configuration">The configuration; HOCON providers in it supply the origins of problems.</param>
    /// <param name="description">Names the configuration in problems whose origin is unknown.</param>
    /// <exception cref="InvalidConfigurationException">Settings are missing or invalid.</exception>
    /// <param name="akka">The <c>akka</c> block, when the caller has one.</param>
    public static ActorSyncConfiguration FromConfiguration(IConfiguration configuration, string description, HoconObject? akka = null)
    {
        var context = new ConfigurationContext(configuration, description);
        var options = ActorSyncOptionsBinder.Bind(context);
        ActorSyncOptionsValidator.Check(options, context);
        if (context.Problems.Count > 0)
        {
            throw new InvalidConfigurationException(description, ConfigurationProblem.InFileOrder(context.Problems));
        }

        return new ActorSyncConfiguration(description, options, options.Syncs.Select(sync => SyncDefinition.From(sync, options.Defaults, options.Databases)).ToArray(), akka);
    }

    private static HoconException? FindHoconException(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is HoconException hocon)
            {
                return hocon;
            }
        }

        return null;
    }
}
