using System.Globalization;
using System.Text;

namespace ActorSync.Hocon.Parsing;

/// <summary>
/// Java properties, as <c>java.util.Properties.load</c> reads them (comments with <c>#</c> or <c>!</c>, <c>=</c>, <c>:</c>
/// or whitespace between key and value, backslash escapes and line continuations), mapped as the spec's "Java
/// properties mapping" says: keys split on every '.', empty keys kept; every value a string; when a key is both a
/// value and a parent, the object wins.
/// </summary>
internal static class PropertiesParser
{
    public static HoconObject Parse(string text, string description)
    {
        var entries = new Dictionary<string, (string Value, HoconOrigin Origin)>(StringComparer.Ordinal);
        var order = new List<string>();
        var position = 0;
        var line = 1;
        while (position < text.Length)
        {
            var startLine = line;
            var logical = ReadLogicalLine(text, ref position, ref line);
            if (logical is null)
            {
                continue;
            }

            var (key, value) = SplitKeyValue(logical);
            if (!entries.ContainsKey(key))
            {
                order.Add(key);
            }

            entries[key] = (value, new HoconOrigin(description, startLine, 1));
        }

        var root = new HoconObject(new HoconOrigin(description, 1, 1));
        foreach (var key in order)
        {
            var (value, origin) = entries[key];
            Set(root, key.Split('.'), new HoconString(value, origin));
        }

        return root;
    }

    private static void Set(HoconObject target, string[] keys, HoconString value)
    {
        for (var i = 0; i < keys.Length - 1; i++)
        {
            if (!target.TryGetValue(keys[i], out var existing) || existing is not HoconObject child)
            {
                child = new HoconObject(value.OriginRef);
                target.Set(keys[i], child);
            }

            target = child;
        }

        if (!target.TryGetValue(keys[^1], out var current) || current is not HoconObject)
        {
            target.Set(keys[^1], value);
        }
    }

    /// <summary>A logical line with continuations joined, or null for a blank or comment line.</summary>
    private static string? ReadLogicalLine(string text, ref int position, ref int line)
    {
        var builder = new StringBuilder();
        var first = true;
        while (true)
        {
            while (position < text.Length && text[position] is ' ' or '\t' or '\f')
            {
                position++;
            }

            if (first && position < text.Length && text[position] is '#' or '!')
            {
                SkipToNextLine(text, ref position, ref line);
                return null;
            }

            var start = position;
            while (position < text.Length && text[position] is not ('\n' or '\r'))
            {
                position++;
            }

            var content = text.AsSpan(start, position - start);
            SkipToNextLine(text, ref position, ref line);
            var backslashes = 0;
            while (backslashes < content.Length && content[content.Length - 1 - backslashes] == '\\')
            {
                backslashes++;
            }

            if (backslashes % 2 == 1)
            {
                builder.Append(content[..^1]);
                first = false;
                if (position < text.Length)
                {
                    continue;
                }
            }
            else
            {
                builder.Append(content);
            }

            return builder.Length == 0 && first ? null : builder.ToString();
        }
    }

    private static void SkipToNextLine(string text, ref int position, ref int line)
    {
        while (position < text.Length && text[position] is not ('\n' or '\r'))
        {
            position++;
        }

        if (position < text.Length)
        {
            if (text[position] == '\r' && position + 1 < text.Length && text[position + 1] == '\n')
            {
                position++;
            }

            position++;
            line++;
        }
    }

    private static (string Key, string Value) SplitKeyValue(string logical)
    {
        var index = 0;
        var key = new StringBuilder();
        while (index < logical.Length)
        {
            var c = logical[index];
            if (c == '\\' && index + 1 < logical.Length)
            {
                index = Unescape(logical, index, key);
                continue;
            }

            if (c is '=' or ':' or ' ' or '\t' or '\f')
            {
                break;
            }

            key.Append(c);
            index++;
        }

        while (index < logical.Length && logical[index] is ' ' or '\t' or '\f')
        {
            index++;
        }

        if (index < logical.Length && logical[index] is '=' or ':')
        {
            index++;
            while (index < logical.Length && logical[index] is ' ' or '\t' or '\f')
            {
                index++;
            }
        }

        var value = new StringBuilder();
        while (index < logical.Length)
        {
            if (logical[index] == '\\' && index + 1 < logical.Length)
            {
                index = Unescape(logical, index, value);
            }
            else
            {
                value.Append(logical[index++]);
            }
        }

        return (key.ToString(), value.ToString());
    }

    private static int Unescape(string text, int index, StringBuilder target)
    {
        var escaped = text[index + 1];
        switch (escaped)
        {
            case 't': target.Append('\t'); break;
            case 'n': target.Append('\n'); break;
            case 'r': target.Append('\r'); break;
            case 'f': target.Append('\f'); break;
            case 'u' when index + 6 <= text.Length &&
                int.TryParse(text.AsSpan(index + 2, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code):
                target.Append((char)code);
                return index + 6;
            default: target.Append(escaped); break;
        }

        return index + 2;
    }
}
