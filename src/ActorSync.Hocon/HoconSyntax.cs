namespace ActorSync.Hocon;

/// <summary>The syntax a document is parsed with.</summary>
public enum HoconSyntax
{
    /// <summary>HOCON (<c>.conf</c>), a superset of JSON.</summary>
    Conf,

    /// <summary>Strict JSON (<c>.json</c>): no comments, unquoted text, substitutions or includes.</summary>
    Json,

    /// <summary>Java properties (<c>.properties</c>): keys split on '.', every value a string (spec, "Java properties mapping").</summary>
    Properties,
}
