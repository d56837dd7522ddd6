namespace ActorSync.Hocon;

/// <summary>
/// Where a value or an error comes from: a file (or the name given to a parsed string), a 1-based line and a 1-based
/// column. Rendered as <c>FILE:LINE:COLUMN</c>, the prefix of every <see cref="HoconException"/> message.
/// </summary>
/// <param name="Description">The file path as it was given (relative paths stay relative), or a name such as <c>string</c>.</param>
/// <param name="Line">The 1-based line.</param>
/// <param name="Column">The 1-based column, counted in UTF-16 code units.</param>
public readonly record struct HoconOrigin(string Description, int Line, int Column)
{
    /// <summary>Renders the origin as <c>FILE:LINE:COLUMN</c>.</summary>
    public override string ToString() => $"{Description ?? "unknown"}:{Line}:{Column}";
}
