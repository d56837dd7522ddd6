using System.Globalization;
using System.Text;

namespace ActorSync.Sql;

/// <summary>
/// SQL literals for the few places where a value cannot be a parameter (DDL, COPY, function bodies). Everything else
/// passes values as parameters.
/// </summary>
public static class Literal
{
    /// <summary>
    /// A string literal in the escape-string form (<c>E'...'</c>), correct whatever <c>standard_conforming_strings</c>
    /// says: quotes and backslashes are doubled.
    /// </summary>
    public static string Quote(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException("An SQL string literal cannot contain a NUL character.", nameof(value));
        }

        var builder = new StringBuilder(value.Length + 4).Append("E'");
        foreach (var c in value)
        {
            if (c is '\'' or '\\')
            {
                builder.Append(c);
            }

            builder.Append(c);
        }

        return builder.Append('\'').ToString();
    }

    /// <summary>An integer literal.</summary>
    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A <c>text[]</c> literal: <c>ARRAY[E'a', E'b']::text[]</c>.</summary>
    public static string TextArray(IEnumerable<string> values) =>
        "ARRAY[" + string.Join(", ", values.Select(Quote)) + "]::text[]";

    /// <summary>
    /// A dollar-quote tag (<c>$actorsync$</c>, or <c>$actorsync_2$</c> ...) that does not occur in <paramref name="body"/>,
    /// so a body holding user-chosen names can never end the quoted string early.
    /// </summary>
    public static string DollarTagFor(string body)
    {
        var tag = "$actorsync$";
        for (var n = 2; body.Contains(tag, StringComparison.Ordinal); n++)
        {
            tag = "$actorsync_" + n.ToString(CultureInfo.InvariantCulture) + "$";
        }

        return tag;
    }
}
