using System.Globalization;
using System.Text;
using ActorSync.Hocon.Internal;

namespace ActorSync.Hocon.Parsing;

/// <summary>
/// Turns HOCON (or JSON) text into tokens, looking at most three characters ahead (spec, "Goals"). Comments are
/// dropped here; newlines are tokens because they separate fields; whitespace is kept inside concatenations, but as
/// the <see cref="Token.SpaceStart"/> of the token after it rather than as a token. The only state is the position,
/// so the parser may read some text itself (<see cref="Advance"/>) or read a token again (<see cref="Rewind"/>);
/// lines and columns are found from offsets when an origin is asked for (<see cref="SourceText"/>).
/// </summary>
internal sealed class Tokenizer
{
    private readonly string _text;
    private readonly bool _json;
    private readonly SourceText _source;
    private int _position;

    public Tokenizer(string text, string description, bool json)
    {
        _text = text;
        _json = json;
        var bom = json && text.Length > 0 && text[0] == '\uFEFF';
        _position = bom ? 1 : 0;
        _source = new SourceText(description, text, firstLineStart: _position);
    }

    /// <summary>Where the next token will be looked for.</summary>
    public int Position => _position;

    /// <summary>Moves past text the parser has read itself (<see cref="Parser"/>'s fast path for plain fields).</summary>
    public void Advance(int position) => _position = position;

    /// <summary>Steps back to <paramref name="position"/>, the start of a token read before, to read it again.</summary>
    public void Rewind(int position) => _position = position;

    /// <summary>
    /// Skips whitespace, newlines and comments (HOCON only), and one comma when <paramref name="allowComma"/>: what
    /// separates two fields or elements (spec, "Commas"), read without making tokens of it. A second comma is left.
    /// </summary>
    public void SkipSeparator(bool allowComma, out bool newline, out bool comma)
    {
        var text = _text;
        var position = _position;
        newline = false;
        comma = false;
        while ((uint)position < (uint)text.Length)
        {
            var c = text[position];
            if (c >= 128)
            {
                if (!CharClass.IsWhitespace(c))
                {
                    break;
                }

                position++;
                continue;
            }

            var kind = CharClass.AsciiClass[c];
            if (kind == CharClass.Space)
            {
                position++;
            }
            else if (kind == CharClass.Newline)
            {
                newline = true;
                position++;
            }
            else if (c == '#' || (c == '/' && position + 1 < text.Length && text[position + 1] == '/'))
            {
                var end = text.IndexOf('\n', position);
                position = end < 0 ? text.Length : end;
            }
            else if (c == ',' && allowComma && !comma)
            {
                comma = true;
                position++;
            }
            else
            {
                break;
            }
        }

        _position = position;
    }

    /// <summary>The text origins point into; line and column are computed when an origin is asked for.</summary>
    public SourceText SourceText => _source;

    /// <summary>A token the parser has read itself.</summary>
    public static Token TokenAt(TokenKind kind, int start, int length, int spaceStart) => new(kind, start, length, spaceStart);

    /// <summary>The stored origin of a token, for a value: its line and column are computed only if asked for.</summary>
    public OriginRef OriginRef(in Token token) => new(_source, token.Start);

    public HoconOrigin Origin(in Token token) => _source.OriginAt(token.Start);

    /// <summary>
    /// The next token. Whitespace before it (not newlines) is skipped and only remembered as
    /// <see cref="Token.SpaceStart"/>; comments are dropped up to their newline, which is a token.
    /// </summary>
    public Token Next()
    {
        var text = _text;
        var position = _position;
        var spaceStart = position;
        while (true)
        {
            if ((uint)position >= (uint)text.Length)
            {
                _position = position;
                return Make(TokenKind.End, position, 0, spaceStart);
            }

            var c = text[position];
            if (c < 128 ? CharClass.AsciiClass[c] == CharClass.Space : CharClass.IsWhitespace(c))
            {
                position++;
                continue;
            }

            _position = position;
            switch (c)
            {
                case '\n':
                    {
                        _position = position + 1;
                        return Make(TokenKind.Newline, position, 1, spaceStart);
                    }

                case '"':
                    return QuotedOrTripleQuoted(spaceStart);
                case ',':
                    return Single(TokenKind.Comma, spaceStart);
                case ':':
                    return Single(TokenKind.Colon, spaceStart);
                case '=':
                    return _json ? throw Problem("JSON does not allow '=' (use ':')") : Single(TokenKind.Equals, spaceStart);
                case '{':
                    return Single(TokenKind.OpenBrace, spaceStart);
                case '}':
                    return Single(TokenKind.CloseBrace, spaceStart);
                case '[':
                    return Single(TokenKind.OpenBracket, spaceStart);
                case ']':
                    return Single(TokenKind.CloseBracket, spaceStart);
                case '+':
                    if (!_json && Peek(1) == '=')
                    {
                        var token = Make(TokenKind.PlusEquals, position, 2, spaceStart);
                        _position += 2;
                        return token;
                    }

                    throw Problem("'+' is not allowed outside quotes unless it is part of '+='");
                case '$':
                    if (!_json && Peek(1) == '{')
                    {
                        return Substitution(spaceStart);
                    }

                    throw Problem(_json ? "JSON does not allow '$'" : $"'$' must start a substitution '${{', found {DescribeChar(Peek(1))} after it");
                case '#':
                case '/' when Peek(1) == '/':
                    SkipComment();
                    position = _position;
                    spaceStart = position;
                    continue;
                default:
                    if (c == '-' || char.IsAsciiDigit(c))
                    {
                        return NumberOrText(spaceStart);
                    }

                    if (CharClass.IsForbidden(c))
                    {
                        throw Problem($"'{c}' is a reserved character and is not allowed outside quotes");
                    }

                    return UnquotedText(spaceStart);
            }
        }
    }

    /// <summary>Reads a JSON quoted string starting at the quote; used by path parsing too.</summary>
    public static string ReadQuoted(string text, ref int position, OriginRef origin)
    {
        var start = ++position;
        while (position < text.Length)
        {
            var c = text[position];
            if (c == '"')
            {
                var value = text[start..position];
                position++;
                return value;
            }

            if (c == '\\' || c < ' ')
            {
                break;
            }

            position++;
        }

        var builder = new StringBuilder(text, start, position - start, position - start + 16);
        while (true)
        {
            if (position >= text.Length)
            {
                throw new HoconParseException(origin.ToOrigin(), "a quoted string is not closed: expected '\"' before the end of the input");
            }

            var c = text[position];
            if (c == '"')
            {
                position++;
                return builder.ToString();
            }

            if (c < ' ')
            {
                throw new HoconParseException(
                    origin.ToOrigin(),
                    $"a quoted string has an unescaped {DescribeChar(c)}; quoted strings follow JSON: use a backslash escape, or \"\"\" for multi-line text");
            }

            if (c != '\\')
            {
                builder.Append(c);
                position++;
                continue;
            }

            var escape = position + 1 < text.Length ? text[position + 1] : '\0';
            position += 2;
            switch (escape)
            {
                case '"': builder.Append('"'); break;
                case '\\': builder.Append('\\'); break;
                case '/': builder.Append('/'); break;
                case 'b': builder.Append('\b'); break;
                case 'f': builder.Append('\f'); break;
                case 'n': builder.Append('\n'); break;
                case 'r': builder.Append('\r'); break;
                case 't': builder.Append('\t'); break;
                case 'u':
                    if (position + 4 > text.Length ||
                        !int.TryParse(text.AsSpan(position, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
                    {
                        throw new HoconParseException(origin.ToOrigin(), "expected four hex digits after '\\u' in a quoted string");
                    }

                    builder.Append((char)code);
                    position += 4;
                    break;
                default:
                    throw new HoconParseException(
                        origin.ToOrigin(),
                        $"expected one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX in a quoted string, found '\\{(escape == '\0' ? "" : escape.ToString())}'");
            }
        }
    }

    public static string DescribeChar(char c) => c switch
    {
        '\0' => "the end of the input",
        '\n' => "a newline",
        '\r' => "a carriage return",
        '\t' => "a tab",
        ' ' => "a space",
        < ' ' => $"control character U+{(int)c:X4}",
        _ => $"'{c}'",
    };

    private char Peek(int offset) => _position + offset < _text.Length ? _text[_position + offset] : '\0';

    private Token Make(TokenKind kind, int start, int length, int spaceStart) =>
        new(kind, start, length, spaceStart);

    private Token Single(TokenKind kind, int spaceStart)
    {
        var token = Make(kind, _position, 1, spaceStart);
        _position++;
        return token;
    }

    private HoconOrigin Here => _source.OriginAt(_position);

    private HoconParseException Problem(string message) => new(Here, message);

    private void SkipComment()
    {
        if (_json)
        {
            throw Problem("JSON does not allow comments");
        }

        var end = _text.IndexOf('\n', _position);
        _position = end < 0 ? _text.Length : end;
    }

    private string WhitespaceRun()
    {
        var start = _position;
        while (_position < _text.Length && _text[_position] != '\n' && CharClass.IsWhitespace(_text[_position]))
        {
            _position++;
        }

        return _text[start.._position];
    }

    private Token NumberOrText(int spaceStart)
    {
        var start = _position;
        var end = start;
        while (end < _text.Length && CharClass.IsNumberChar(_text[end]))
        {
            end++;
        }

        var span = _text.AsSpan(start, end - start);
        if (CharClass.IsJsonNumber(span))
        {
            _position = end;
            return Make(TokenKind.Number, start, end - start, spaceStart);
        }

        // Spec, "Unquoted strings": text that starts like a number but is not one (1.0.0, 10e3e3, 1-e3) is unquoted
        // text; '+' is reserved, so 10e+3e is an error rather than text.
        if (_json)
        {
            throw Problem($"'{span}' is not a JSON number");
        }

        var plus = span.IndexOf('+');
        if (plus >= 0)
        {
            _position = start + plus;
            throw Problem($"'{span}' is not a number, and '+' is not allowed in unquoted text");
        }

        _position = end;
        return Make(TokenKind.UnquotedText, start, end - start, spaceStart);
    }

    private Token UnquotedText(int spaceStart)
    {
        var text = _text;
        var start = _position;
        var end = start;
        while ((uint)end < (uint)text.Length)
        {
            var c = text[end];
            if (c < 128)
            {
                // Forbidden characters and whitespace end the text, '/' only when it starts a '//' comment.
                var kind = CharClass.AsciiClass[c];
                if (kind != CharClass.Text && (kind != CharClass.Slash || (end + 1 < text.Length && text[end + 1] == '/')))
                {
                    break;
                }
            }
            else if (CharClass.IsWhitespace(c))
            {
                break;
            }

            end++;
        }

        // Spec: "truefoo parses as the boolean token true followed by the unquoted string foo".
        var span = text.AsSpan(start, end - start);
        var keyword = span.Length < 4 ? TokenKind.End : span[0] switch
        {
            't' when span.StartsWith("true") => TokenKind.True,
            'n' when span.StartsWith("null") => TokenKind.Null,
            'f' when span.StartsWith("false") => TokenKind.False,
            _ => TokenKind.End,
        };
        if (keyword != TokenKind.End)
        {
            var length = keyword == TokenKind.False ? 5 : 4;
            _position = start + length;
            return Make(keyword, start, length, spaceStart);
        }

        if (_json)
        {
            throw Problem($"JSON does not allow unquoted text ('{Shorten(span)}'); quote strings with \"");
        }

        _position = end;
        return Make(TokenKind.UnquotedText, start, end - start, spaceStart);
    }

    private Token QuotedOrTripleQuoted(int spaceStart)
    {
        if (!_json && Peek(1) == '"' && Peek(2) == '"')
        {
            return TripleQuoted(spaceStart);
        }

        var start = _position;

        // Most quoted strings have no escape: their value is the source between the quotes, left for the parser to
        // slice when (and if) it needs a string.
        var text = _text;
        var end = start + 1;
        while ((uint)end < (uint)text.Length)
        {
            var c = text[end];
            if (c == '"')
            {
                _position = end + 1;
                return new Token(TokenKind.QuotedString, start, _position - start, spaceStart, quote: 1);
            }

            if (c == '\\' || c < ' ')
            {
                break;
            }

            end++;
        }

        var value = ReadQuoted(_text, ref _position, new OriginRef(_source, start));
        return new Token(TokenKind.QuotedString, start, _position - start, spaceStart, value);
    }

    /// <summary>
    /// Spec, "Multi-line strings": everything up to the closing <c>"""</c> is taken as is, and any run of more than three
    /// quotes ends the string with the extra quotes inside it (<c>"""foo""""</c> is <c>foo"</c>).
    /// </summary>
    private Token TripleQuoted(int spaceStart)
    {
        var start = _position;
        var contentStart = start + 3;
        var close = _text.IndexOf("\"\"\"", contentStart, StringComparison.Ordinal);
        if (close < 0)
        {
            throw new HoconParseException(_source.OriginAt(start), "a triple-quoted string is not closed: expected '\"\"\"'");
        }

        var runEnd = close + 3;
        while (runEnd < _text.Length && _text[runEnd] == '"')
        {
            runEnd++;
        }

        _position = runEnd;
        return new Token(TokenKind.QuotedString, start, runEnd - start, spaceStart, quote: 3);
    }

    /// <summary>
    /// <c>${path}</c> or <c>${?path}</c>. The path is a path expression without substitutions; whitespace around it is
    /// ignored, but <c>${?</c> must be written together.
    /// </summary>
    private Token Substitution(int spaceStart)
    {
        var start = _position;
        var origin = new OriginRef(_source, start);
        _position += 2;
        var optional = false;
        if (Peek(0) == '?')
        {
            optional = true;
            _position++;
        }

        if (PlainPath() is { } plain)
        {
            return new Token(TokenKind.Substitution, start, _position - start, spaceStart, plain, optional);
        }

        var path = new PathBuilder(origin);
        while (true)
        {
            if (_position >= _text.Length)
            {
                throw new HoconParseException(origin.ToOrigin(), "a substitution is not closed: expected '}' before the end of the input");
            }

            var c = _text[_position];
            if (c == '}')
            {
                _position++;
                break;
            }

            if (c == '\n')
            {
                throw Problem("a substitution is not closed: expected '}' before the end of the line");
            }

            if (c == '"')
            {
                path.AddQuoted(ReadQuoted(_text, ref _position, new OriginRef(_source, _position)));
            }
            else if (CharClass.IsWhitespace(c))
            {
                path.AddWhitespace(WhitespaceRun());
            }
            else if (c == '#' || (c == '/' && Peek(1) == '/'))
            {
                throw Problem("a substitution is not closed: expected '}', found a comment");
            }
            else if (c == '$')
            {
                throw Problem("substitutions cannot be nested: expected a path inside '${ }', found '$'");
            }
            else if (CharClass.IsForbidden(c))
            {
                throw Problem($"expected a path or '}}' inside '${{ }}', found reserved character '{c}'");
            }
            else
            {
                var textStart = _position;
                while (_position < _text.Length)
                {
                    var d = _text[_position];
                    if (CharClass.IsForbidden(d) || CharClass.IsWhitespace(d) || (d == '/' && Peek(1) == '/'))
                    {
                        break;
                    }

                    _position++;
                }

                path.AddUnquoted(_text.AsSpan(textStart, _position - textStart));
            }
        }

        var keys = path.Build(optional ? "a path after '${?'" : "a path after '${'");
        return new Token(TokenKind.Substitution, start, _position - start, spaceStart, keys, optional);
    }

    /// <summary>
    /// The common substitution, <c>${a.b-c.d}</c>: plain ASCII text with no empty key, right up to the closing brace,
    /// split at its dots as the path builder would. Null, with nothing read, for anything else.
    /// </summary>
    private string[]? PlainPath()
    {
        var text = _text;
        var end = _position;
        var dots = 0;
        while ((uint)end < (uint)text.Length && text[end] is var c && c < 128 && CharClass.AsciiClass[c] == CharClass.Text)
        {
            dots += c == '.' ? 1 : 0;
            end++;
        }

        var path = text.AsSpan(_position, end - _position);
        if (end >= text.Length || text[end] != '}' || path.IsEmpty || path[0] == '.' || path[^1] == '.' ||
            (dots > 1 && path.Contains("..", StringComparison.Ordinal)))
        {
            return null;
        }

        var keys = new string[dots + 1];
        var index = 0;
        foreach (var range in path.Split('.'))
        {
            keys[index++] = path[range].ToString();
        }

        _position = end + 1;
        return keys;
    }

    public static string Shorten(ReadOnlySpan<char> text) => text.Length <= 24 ? text.ToString() : string.Concat(text[..21], "...");
}
