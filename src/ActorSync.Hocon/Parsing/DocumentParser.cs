namespace ActorSync.Hocon.Parsing;

internal static class HoconSyntaxes
{
    public static HoconSyntax FromExtension(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".json" => HoconSyntax.Json,
        ".properties" => HoconSyntax.Properties,
        _ => HoconSyntax.Conf,
    };
}

/// <summary>Parses one text with the parser its syntax needs.</summary>
internal static class DocumentParser
{
    public static HoconValue Parse(string text, string description, HoconSyntax syntax, IncludeContext context) => syntax switch
    {
        HoconSyntax.Properties => PropertiesParser.Parse(text, description),
        _ => new Parser(text, description, syntax == HoconSyntax.Json, context).ParseDocument(),
    };
}
