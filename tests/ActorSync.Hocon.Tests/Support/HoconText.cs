namespace ActorSync.Hocon.Tests.Support;

/// <summary>Small helpers: parse and resolve text with no environment unless one is given.</summary>
public static class HoconText
{
    public static HoconValue Resolve(string text, IReadOnlyDictionary<string, string?>? environment = null) =>
        HoconParser.Parse(text, new HoconParseOptions { Description = "test.conf" })
            .Resolve(environment is null ? HoconResolveOptions.WithoutEnvironment : new HoconResolveOptions { Environment = environment });

    /// <summary>The resolved document as compact JSON, keys in definition order.</summary>
    public static string Json(string text, IReadOnlyDictionary<string, string?>? environment = null) => Resolve(text, environment).ToJson();

    /// <summary>JSON written with single quotes, for readable expectations.</summary>
    public static string J(string singleQuoted) => singleQuoted.Replace('\'', '"');
}
