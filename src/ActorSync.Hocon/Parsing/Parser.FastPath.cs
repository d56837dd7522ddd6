using System.Runtime.InteropServices;
using ActorSync.Hocon.Internal;

namespace ActorSync.Hocon.Parsing;

internal sealed partial class Parser
{
    /// <summary>
    /// The fast path for the field most configuration lines hold: <c>key = value</c>, <c>key : value</c> or
    /// <c>key {</c>, with a plain ASCII key (perhaps with dots) and, for the fast value, one plain token (unquoted text,
    /// a number, a boolean, null, or a quoted string without escapes) that ends the field on its line. The text after
    /// the key token is read here directly rather than as tokens. Anything else is left to the general path:
    /// nothing is consumed and false is returned when the key or separator is not plain, and the value goes through
    /// <see cref="ParseFieldValue"/> when it is not (a concatenation, an object, a substitution...). Either way the
    /// result is what <see cref="ParseField"/> would build; <c>FastPathTests</c> compares the two on tricky input.
    /// </summary>
    private bool TryParseFastField(HoconObject target)
    {
        // The key: a run of plain ASCII text that the tokenizer would read as this very text (no '/', no character
        // beyond ASCII after it; no number first, which it reads on its own terms), not the include keyword, and a
        // path without empty keys.
        var text = _source;
        var keyStart = _tokens.Position;
        if ((uint)keyStart >= (uint)text.Length || text[keyStart] is var first && (first >= 128 || first == '-' || char.IsAsciiDigit(first)))
        {
            return false;
        }

        var keyEnd = EndOfWord(text, keyStart);
        if (keyEnd == keyStart || (keyEnd < text.Length && (text[keyEnd] == '/' || text[keyEnd] >= 128)))
        {
            return false;
        }

        var key = text.AsSpan(keyStart, keyEnd - keyStart);
        var dot = key.IndexOf('.');
        if ((key.Length == 7 && key.SequenceEqual("include")) ||
            (dot >= 0 && (dot == 0 || key[^1] == '.' || key[dot..].Contains("..", StringComparison.Ordinal))))
        {
            return false;
        }

        // What follows must be the separator.
        var position = SkipSpaces(text, keyEnd);
        if ((uint)position >= (uint)text.Length)
        {
            return false;
        }

        var separatorKind = text[position] switch
        {
            '=' => TokenKind.Equals,
            ':' => TokenKind.Colon,
            '{' => TokenKind.OpenBrace,
            _ => TokenKind.End,
        };
        if (separatorKind == TokenKind.End)
        {
            return false;
        }

        if (separatorKind != TokenKind.OpenBrace && TryParseFastValue(text, position + 1, '}', out var value))
        {
            // A simple value needs no path: only a single key's own.
            if (dot < 0)
            {
                SetMerged(target, Intern(key), new ScalarLeaf(value));
                return true;
            }

            var count = PushKeys(key, dot);
            SetPath(target, CollectionsMarshal.AsSpan(_path)[^count..], new ScalarLeaf(value));
            _path.RemoveRange(_path.Count - count, count);
            return true;
        }

        var keyCount = PushKeys(key, dot);
        _tokens.Advance(position + 1);
        ParseFieldValue(target, keyCount, Tokenizer.TokenAt(separatorKind, position, 1, keyEnd));
        return true;
    }

    /// <summary>Pushes the keys of a plain key (no empty key; its first dot at <paramref name="dot"/>) on <see cref="_path"/>.</summary>
    private int PushKeys(ReadOnlySpan<char> key, int dot)
    {
        if (dot < 0)
        {
            _path.Add(Intern(key));
            return 1;
        }

        var count = 0;
        foreach (var range in key.Split('.'))
        {
            _path.Add(Intern(key[range]));
            count++;
        }

        return count;
    }

    /// <summary>
    /// Reads a plain value after the separator at <paramref name="position"/> and moves the tokenizer past it, if the
    /// field ends right after it (a newline, a comma, '}', a comment or the end of the input, after spaces). A plain
    /// value is a quoted string without escapes, or words of unquoted ASCII text (numbers and keywords included)
    /// separated by spaces: the general path would join their tokens into the same slice of the source.
    /// </summary>
    private bool TryParseFastValue(string text, int position, char close, out Scalar value)
    {
        value = default;
        var start = SkipSpaces(text, position);
        if ((uint)start >= (uint)text.Length)
        {
            return false;
        }

        int end;
        int after;
        TokenKind kind;
        var c = text[start];
        if (c == '"')
        {
            // A quoted string without escapes (an empty or triple-quoted one is left to the tokenizer).
            end = start + 1;
            while (true)
            {
                if ((uint)end >= (uint)text.Length)
                {
                    return false;
                }

                var d = text[end];
                if (d == '"')
                {
                    break;
                }

                if (d == '\\' || d < ' ')
                {
                    return false;
                }

                end++;
            }

            if (end == start + 1)
            {
                return false;
            }

            end++;
            after = SkipSpaces(text, end);
            kind = TokenKind.QuotedString;
        }
        else
        {
            end = EndOfWord(text, start);
            if (end == start)
            {
                return false;
            }

            after = SkipSpaces(text, end);
            kind = WordKind(text.AsSpan(start, end - start));
            while ((uint)after < (uint)text.Length && EndOfWord(text, after) is var next && next > after)
            {
                // More words: a concatenation, which is a string whatever the words are.
                kind = TokenKind.Substitution;
                end = next;
                after = SkipSpaces(text, end);
            }
        }

        // The value must end the field: anything else on the line ('/', '$', a quote...) is for the general path.
        if ((uint)after < (uint)text.Length)
        {
            var d = text[after];
            if (d != close && d is not ('\n' or ',' or '#') && !(d == '/' && after + 1 < text.Length && text[after + 1] == '/'))
            {
                return false;
            }
        }

        var length = kind == TokenKind.QuotedString ? end - start - 2 : end - start;
        if (length > Scalar.MaxLength)
        {
            return false;
        }

        value = new Scalar(_tokens.SourceText, start, length, kind switch
        {
            TokenKind.QuotedString => ScalarKind.QuotedString,
            TokenKind.UnquotedText => ScalarKind.UnquotedString,
            TokenKind.Number => ScalarKind.Number,
            TokenKind.True => ScalarKind.True,
            TokenKind.False => ScalarKind.False,
            TokenKind.Null => ScalarKind.Null,

            // Several tokens joined (Substitution stands for "a concatenation" here): the parser marks such a run quoted.
            _ => ScalarKind.QuotedString,
        });
        _tokens.Advance(end);
        return true;
    }

    /// <summary>The end of the run of plain ASCII unquoted-text characters at <paramref name="position"/>.</summary>
    private static int EndOfWord(string text, int position)
    {
        while ((uint)position < (uint)text.Length && text[position] is var c && c < 128 && CharClass.AsciiClass[c] == CharClass.Text)
        {
            position++;
        }

        return position;
    }

    /// <summary>
    /// What the tokenizer makes of one word: a number, a keyword or unquoted text when it is one token, and
    /// <see cref="TokenKind.Substitution"/> (standing for "several tokens") when it splits, as <c>5s</c> (a number and
    /// text), <c>truex</c> (a keyword and text) or <c>1.0.0-beta</c> do.
    /// </summary>
    private static TokenKind WordKind(ReadOnlySpan<char> word)
    {
        var c = word[0];
        if (c == '-' || char.IsAsciiDigit(c))
        {
            // The tokenizer takes the run of number characters first, as a number if it is one, else as text.
            var numberEnd = 0;
            while (numberEnd < word.Length && CharClass.IsNumberChar(word[numberEnd]))
            {
                numberEnd++;
            }

            return numberEnd < word.Length ? TokenKind.Substitution
                : CharClass.IsJsonNumber(word) ? TokenKind.Number
                : TokenKind.UnquotedText;
        }

        var keyword = c switch
        {
            't' when word.StartsWith("true") => TokenKind.True,
            'f' when word.StartsWith("false") => TokenKind.False,
            'n' when word.StartsWith("null") => TokenKind.Null,
            _ => TokenKind.UnquotedText,
        };
        return keyword == TokenKind.UnquotedText || word.Length == (keyword == TokenKind.False ? 5 : 4) ? keyword : TokenKind.Substitution;
    }

    /// <summary>Skips ASCII whitespace other than newlines.</summary>
    private static int SkipSpaces(string text, int position)
    {
        while ((uint)position < (uint)text.Length && text[position] is var c && c < 128 && CharClass.AsciiClass[c] == CharClass.Space)
        {
            position++;
        }

        return position;
    }
}
