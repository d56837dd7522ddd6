using System.Globalization;

namespace ActorSync.Hocon.Internal;

/// <summary>Character classes from the spec's "Whitespace" and "Unquoted strings" sections.</summary>
internal static class CharClass
{
    /// <summary>The characters an unquoted string may not contain (besides whitespace and <c>//</c>).</summary>
    public const string Forbidden = "$\"{}[]:=,+#`^?!@*&\\";

    /// <summary>
    /// Spec, "Whitespace": Unicode Zs, Zl and Zp (so U+00A0, U+2007, U+202F count), the BOM, tab, newline, vertical
    /// tab, form feed, carriage return and the four ASCII separators 0x1C-0x1F. Unlike <see cref="char.IsWhiteSpace(char)"/>,
    /// U+0085 is not whitespace here, and U+FEFF and 0x1C-0x1F are.
    /// </summary>
    public static bool IsWhitespace(char c)
    {
        if (c < 128)
        {
            return c is ' ' or '\t' or '\n' or '\v' or '\f' or '\r' or (>= '\u001C' and <= '\u001F');
        }

        if (c == '\uFEFF')
        {
            return true;
        }

        var category = CharUnicodeInfo.GetUnicodeCategory(c);
        return category is UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;
    }

    public static bool IsWhitespaceOnly(string text)
    {
        foreach (var c in text)
        {
            if (!IsWhitespace(c))
            {
                return false;
            }
        }

        return text.Length > 0;
    }

    /// <summary><see cref="AsciiClass"/>: a character that may appear in unquoted text.</summary>
    public const byte Text = 0;

    /// <summary><see cref="AsciiClass"/>: whitespace other than a newline.</summary>
    public const byte Space = 1;

    /// <summary><see cref="AsciiClass"/>: '\n'.</summary>
    public const byte Newline = 2;

    /// <summary><see cref="AsciiClass"/>: one of <see cref="Forbidden"/>.</summary>
    public const byte ForbiddenChar = 3;

    /// <summary><see cref="AsciiClass"/>: '/', which ends unquoted text only when it starts <c>//</c>.</summary>
    public const byte Slash = 4;

    /// <summary>
    /// The class of each ASCII character, for the tokenizer's inner loops (a constant table the JIT reads without a
    /// bounds check): 1 = <see cref="Space"/> (tab, VT, FF, CR, 0x1C-0x1F, space), 2 = '\n', 3 = <see cref="Forbidden"/>,
    /// 4 = '/', 0 = anything else. <c>CharClassTests</c> checks it against <see cref="IsWhitespace"/> and <see cref="Forbidden"/>.
    /// </summary>
    public static ReadOnlySpan<byte> AsciiClass =>
    [
        0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 1, 1, 1, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1,
        1, 3, 3, 3, 3, 0, 3, 0, 0, 0, 3, 3, 3, 0, 0, 4,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 3, 0, 3,
        3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 3, 3, 3, 0,
        3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 3, 0, 0,
    ];

    private static readonly bool[] ForbiddenTable = CreateForbiddenTable();

    public static bool IsForbidden(char c) => c < 128 && ForbiddenTable[c];

    private static bool[] CreateForbiddenTable()
    {
        var table = new bool[128];
        foreach (var c in Forbidden)
        {
            table[c] = true;
        }

        return table;
    }

    /// <summary>True for the characters that may continue a number once one has started (<c>0-9 e E + - .</c>).</summary>
    public static bool IsNumberChar(char c) => char.IsAsciiDigit(c) || c is 'e' or 'E' or '+' or '-' or '.';

    /// <summary>JSON's number grammar: <c>-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?</c>.</summary>
    public static bool IsJsonNumber(ReadOnlySpan<char> text)
    {
        var i = 0;
        if (i < text.Length && text[i] == '-')
        {
            i++;
        }

        if (i >= text.Length || !char.IsAsciiDigit(text[i]))
        {
            return false;
        }

        if (text[i] == '0')
        {
            i++;
        }
        else
        {
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }
        }

        if (i < text.Length && text[i] == '.')
        {
            i++;
            if (!SkipDigits(text, ref i))
            {
                return false;
            }
        }

        if (i < text.Length && text[i] is 'e' or 'E')
        {
            i++;
            if (i < text.Length && text[i] is '+' or '-')
            {
                i++;
            }

            if (!SkipDigits(text, ref i))
            {
                return false;
            }
        }

        return i == text.Length;
    }

    private static bool SkipDigits(ReadOnlySpan<char> text, ref int i)
    {
        var start = i;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
        }

        return i > start;
    }
}
