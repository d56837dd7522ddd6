using System.Text;

namespace ActorSync.Configuration;

/// <summary>
/// A table named in a sync's <c>source</c> or <c>target</c>: <c>database:schema.table</c>, where <c>database</c> is a
/// key under <c>actorsync.databases</c> and the schema and table follow SQL's rules: unquoted parts fold to lower case
/// and may hold letters, digits, <c>_</c> and <c>$</c>; double-quoted parts keep case and any character, with
/// <c>""</c> for a quote inside. The schema may be left out (<c>main:orders</c> means <c>main:public.orders</c>).
/// </summary>
public sealed record TableName(string Database, string Schema, string Table)
{
    public const string ExpectedForm = "expected \"database:schema.table\"";

    /// <summary>The schema-qualified, quoted SQL name, e.g. <c>"public"."Orders"</c>.</summary>
    public string QuotedName => Sql.Identifier.Quote(Schema, Table);

    /// <summary>Parses a table name; returns false with a message saying what is wrong and where.</summary>
    public static bool TryParse(string text, out TableName? name, out string? error)
    {
        name = null;
        var colon = FindUnquoted(text, ':');
        if (colon <= 0)
        {
            error = colon == 0 ? $"{ExpectedForm}, the database name before ':' is empty" : $"{ExpectedForm}, found no ':'";
            return false;
        }

        var database = text[..colon].Trim();
        var rest = text[(colon + 1)..];
        var parts = new List<string>();
        var position = 0;
        while (true)
        {
            if (!TryReadIdentifier(rest, ref position, out var part, out error))
            {
                error = $"{ExpectedForm}: {error} at character {colon + 2 + position}";
                return false;
            }

            parts.Add(part!);
            SkipSpaces(rest, ref position);
            if (position == rest.Length)
            {
                break;
            }

            if (rest[position] != '.')
            {
                error = $"{ExpectedForm}: unexpected '{rest[position]}' at character {colon + 2 + position}";
                return false;
            }

            position++;
        }

        switch (parts.Count)
        {
            case 1:
                name = new TableName(database, "public", parts[0]);
                break;
            case 2:
                name = new TableName(database, parts[0], parts[1]);
                break;
            default:
                error = $"{ExpectedForm}, found {parts.Count} dot-separated parts after ':'";
                return false;
        }

        error = null;
        return true;
    }

    /// <summary>Parses a table name or throws <see cref="FormatException"/>.</summary>
    public static TableName Parse(string text) =>
        TryParse(text, out var name, out var error) ? name! : throw new FormatException($"'{text}': {error}");

    /// <summary>Parses one SQL identifier (a column name in <c>columns</c> or <c>key</c>) with the same rules.</summary>
    public static bool TryParseIdentifier(string text, out string? identifier, out string? error)
    {
        var position = 0;
        if (!TryReadIdentifier(text, ref position, out identifier, out error))
        {
            return false;
        }

        SkipSpaces(text, ref position);
        if (position != text.Length)
        {
            identifier = null;
            error = $"unexpected '{text[position]}' at character {position + 1} of an SQL name";
            return false;
        }

        return true;
    }

    /// <summary>Writes the name back in the form it was parsed from, quoting only where needed.</summary>
    public override string ToString() => $"{Database}:{Display(Schema)}.{Display(Table)}";

    /// <summary>An identifier as a user would write it: bare when that round-trips, quoted otherwise.</summary>
    public static string Display(string identifier) =>
        IsPlain(identifier) ? identifier : "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static bool IsPlain(string identifier) =>
        identifier.Length > 0 && !char.IsAsciiDigit(identifier[0]) && identifier[0] != '$' &&
        identifier.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '_' or '$' || c > 127);

    private static bool TryReadIdentifier(string text, ref int position, out string? identifier, out string? error)
    {
        identifier = null;
        SkipSpaces(text, ref position);
        if (position >= text.Length)
        {
            error = "missing name";
            return false;
        }

        if (text[position] == '"')
        {
            var builder = new StringBuilder();
            position++;
            while (true)
            {
                if (position >= text.Length)
                {
                    error = "unterminated quoted name";
                    return false;
                }

                var c = text[position++];
                if (c == '"')
                {
                    if (position < text.Length && text[position] == '"')
                    {
                        builder.Append('"');
                        position++;
                        continue;
                    }

                    break;
                }

                if (c == '\0')
                {
                    error = "NUL character in a quoted name";
                    return false;
                }

                builder.Append(c);
            }

            if (builder.Length == 0)
            {
                error = "empty quoted name \"\"";
                return false;
            }

            identifier = builder.ToString();
        }
        else
        {
            var start = position;
            while (position < text.Length && IsUnquotedChar(text[position], position == start))
            {
                position++;
            }

            if (position == start)
            {
                error = $"unexpected '{text[position]}' (quote the name to use this character)";
                return false;
            }

            // SQL folds unquoted names to lower case; PostgreSQL folds ASCII letters only.
            identifier = string.Create(position - start, (text, start), static (span, state) =>
            {
                for (var i = 0; i < span.Length; i++)
                {
                    var c = state.text[state.start + i];
                    span[i] = char.IsAsciiLetterUpper(c) ? (char)(c + 32) : c;
                }
            });
        }

        if (Encoding.UTF8.GetByteCount(identifier) > Sql.Identifier.MaxLength)
        {
            error = $"the name '{identifier}' is longer than PostgreSQL's limit of {Sql.Identifier.MaxLength} bytes";
            identifier = null;
            return false;
        }

        error = null;
        return true;
    }

    private static bool IsUnquotedChar(char c, bool first) =>
        char.IsAsciiLetter(c) || c == '_' || c > 127 || (!first && (char.IsAsciiDigit(c) || c == '$'));

    private static void SkipSpaces(string text, ref int position)
    {
        while (position < text.Length && char.IsWhiteSpace(text[position]))
        {
            position++;
        }
    }

    private static int FindUnquoted(string text, char wanted)
    {
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '"')
            {
                quoted = !quoted;
            }
            else if (!quoted && text[i] == wanted)
            {
                return i;
            }
        }

        return -1;
    }
}
