namespace ActorSync.Sql;

/// <summary>
/// The one way SQL names are written into statements: always double-quoted, with <c>"</c> doubled, so any name
/// (mixed case, reserved words, Unicode, <c>x"; DROP TABLE y; --</c>) is taken literally and never as SQL.
/// </summary>
public static class Identifier
{
    /// <summary>PostgreSQL's NAMEDATALEN - 1: longer names are silently truncated by the server, so we refuse them.</summary>
    public const int MaxLength = 63;

    /// <summary>Quotes one identifier.</summary>
    /// <exception cref="ArgumentException">The name is empty, contains a NUL character or is longer than 63 bytes.</exception>
    public static string Quote(string name)
    {
        Validate(name);
        return "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    /// <summary>Quotes <c>schema.name</c>.</summary>
    public static string Quote(string schema, string name) => Quote(schema) + "." + Quote(name);

    /// <summary>Throws when <paramref name="name"/> cannot be a PostgreSQL identifier.</summary>
    public static void Validate(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0)
        {
            throw new ArgumentException("An SQL identifier cannot be empty.", nameof(name));
        }

        if (name.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException($"The SQL identifier '{name.Replace("\0", "\\0", StringComparison.Ordinal)}' contains a NUL character.", nameof(name));
        }

        if (System.Text.Encoding.UTF8.GetByteCount(name) > MaxLength)
        {
            throw new ArgumentException(
                $"The SQL identifier '{name}' is longer than PostgreSQL's limit of {MaxLength} bytes.", nameof(name));
        }
    }
}
