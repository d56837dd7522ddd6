using System.Text;
using ActorSync.Hocon.Resolution;

namespace ActorSync.Hocon.Internal;

/// <summary>Writes resolved values as JSON: keys in definition order, numbers as written, non-ASCII text as is.</summary>
internal static class JsonRenderer
{
    public static string Render(HoconValue value, bool indented)
    {
        var builder = new StringBuilder();
        Write(builder, value, indented, 0);
        return builder.ToString();
    }

    public static void AppendQuoted(StringBuilder builder, string text)
    {
        builder.Append('"');
        foreach (var c in text)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                case '\b': builder.Append("\\b"); break;
                case '\f': builder.Append("\\f"); break;
                case < ' ' or '\u2028' or '\u2029': builder.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture)); break;
                default: builder.Append(c); break;
            }
        }

        builder.Append('"');
    }

    private static void Write(StringBuilder builder, HoconValue value, bool indented, int depth)
    {
        switch (value)
        {
            case HoconObject obj:
                WriteContainer(builder, '{', '}', obj.Count, obj, indented, depth, static (b, field, ind, d) =>
                {
                    AppendQuoted(b, field.Key);
                    b.Append(ind ? ": " : ":");
                    Write(b, field.Value, ind, d);
                });
                break;
            case HoconArray array:
                WriteContainer(builder, '[', ']', array.Count, array, indented, depth, static (b, item, ind, d) => Write(b, item, ind, d));
                break;
            case HoconString text:
                AppendQuoted(builder, text.Value);
                break;
            case UnresolvedValue:
                throw new InvalidOperationException($"{value.Origin}: the value is not resolved; resolve the document first.");
            default:
                builder.Append(value.ToString());
                break;
        }
    }

    private static void WriteContainer<T>(
        StringBuilder builder,
        char open,
        char close,
        int count,
        IEnumerable<T> items,
        bool indented,
        int depth,
        Action<StringBuilder, T, bool, int> writeItem)
    {
        builder.Append(open);
        if (count == 0)
        {
            builder.Append(close);
            return;
        }

        var first = true;
        foreach (var item in items)
        {
            if (!first)
            {
                builder.Append(',');
            }

            first = false;
            if (indented)
            {
                builder.Append('\n').Append(' ', (depth + 1) * 2);
            }

            writeItem(builder, item, indented, depth + 1);
        }

        if (indented)
        {
            builder.Append('\n').Append(' ', depth * 2);
        }

        builder.Append(close);
    }
}
