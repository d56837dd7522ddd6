using System.Globalization;
using System.Text;
using ActorSync.Hocon.Internal;

namespace ActorSync.Hocon.Parsing;

/// <summary>
/// Turns HOCON (or JSON) text into tokens, looking at most three characters ahead (spec, "Goals"). Comments are
/// dropped here; newlines and whitespace are tokens because they separate fields and are kept inside concatenations.
/// </summary>
internal sealed class Tokenizer
{
    private readonly string _text;
    private readonly string _description;
    private readonly bool _json;
    private int _position;
    private int _line = 1;
    private int _lineStart;

    public Tokenizer(string text, string description, bool json)
    {
        _text = text;
        _description = description;
        _json = json;
        if (json && text.Length > 0 && text[0] == '\uFEFF')
        {
            _position = 1;
            _lineStart = 1;
        }
    }

    public HoconOrigin Origin(in Token token) => new(_description, token.Line, token.Column);

    public Token Next()
    {
        while (true)
        {
            if (_position >= _text.Length)
            {
                return Make(TokenKind.End, _position, 0);
            }

            var c = _text[_position];
            switch (c)
            {
                case '\n':
                    {
                        var token = Make(TokenKind.Newline, _position, 1);
                        _position++;
                        _line++;
                        _lineStart = _position;
                        return token;
                    }

                case '"':
                    return QuotedOrTripleQuoted();
                case ',':
                    return Single(TokenKind.Comma);
                case ':':
                    return Single(TokenKind.Colon);
                case '=':
                    return _json ? throw Problem("JSON does not allow '=' (use ':')") : Single(TokenKind.Equals);
                case '{':
                    return Single(TokenKind.OpenBrace);
                case '}':
                    return Single(TokenKind.CloseBrace);
                case '[':
                    return Single(TokenKind.OpenBracket);
                case ']':
                    return Single(TokenKind.CloseBracket);
                case '+':
                    if (!_json && Peek(1) == '=')
                    {
                        var token = Make(TokenKind.PlusEquals, _position, 2);
                        _position += 2;
                        return token;
                    }

                    throw Problem("'+' is not allowed outside quotes unless it is part of '+='");
                case '$':
                    if (!_json && Peek(1) == '{')
                    {
                        return Substitution();
                    }

                    throw Problem(_json ? "JSON does not allow '$'" : $"'$' must start a substitution '${{', found {DescribeChar(Peek(1))} after it");
                case '#':
                    SkipComment();
                    continue;
                case '/' when Peek(1) == '/':
                    SkipComment();
                    continue;
                default:
                    if (CharClass.IsWhitespace(c))
                    {
                        return WhitespaceRun();
                    }

                    if (c == '-' || char.IsAsciiDigit(c))
                    {
                        return NumberOrText();
                    }

                    if (CharClass.IsForbidden(c))
                    {
                        throw Problem($"'{c}' is a reserved character and is not allowed outside quotes");
                    }

                    return UnquotedText();
            }
        }
    }

    /// <summary>Reads a JSON quoted string starting at the quote; used by path parsing too.</summary>
    public static string ReadQuoted(string text, ref int position, HoconOrigin origin)
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
                throw new HoconParseException(origin, "a quoted string is not closed: expected '\"' before the end of the input");
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
                    origin,
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
                        throw new HoconParseException(origin, "expected four hex digits after '\\u' in a quoted string");
                    }

                    builder.Append((char)code);
                    position += 4;
                    break;
                default:
                    throw new HoconParseException(
                        origin,
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

    private Token Make(TokenKind kind, int start, int length, string? value = null, string[]? path = null, bool optional = false) =>
        new(kind, start, length, _line, start - _lineStart + 1, value, path, optional);

    private Token Single(TokenKind kind)
    {
        var token = Make(kind, _position, 1);
        _position++;
        return token;
    }

    private HoconOrigin Here => new(_description, _line, _position - _lineStart + 1);

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

    private Token WhitespaceRun()
    {
        var start = _position;
        while (_position < _text.Length && _text[_position] != '\n' && CharClass.IsWhitespace(_text[_position]))
        {
            _position++;
        }

        return Make(TokenKind.Whitespace, start, _position - start);
    }

    private Token NumberOrText()
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
            return Make(TokenKind.Number, start, end - start);
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
        return Make(TokenKind.UnquotedText, start, end - start);
    }

    private Token UnquotedText()
    {
        var start = _position;
        var end = start;
        while (end < _text.Length)
        {
            var c = _text[end];
            if (CharClass.MayEndUnquoted(c) &&
                (CharClass.IsForbidden(c) || CharClass.IsWhitespace(c) || (c == '/' && end + 1 < _text.Length && _text[end + 1] == '/')))
            {
                break;
            }

            end++;
        }

        // Spec: "truefoo parses as the boolean token true followed by the unquoted string foo".
        var span = _text.AsSpan(start, end - start);
        if (span.StartsWith("true"))
        {
            _position = start + 4;
            return Make(TokenKind.True, start, 4);
        }

        if (span.StartsWith("null"))
        {
            _position = start + 4;
            return Make(TokenKind.Null, start, 4);
        }

        if (span.StartsWith("false"))
        {
            _position = start + 5;
            return Make(TokenKind.False, start, 5);
        }

        if (_json)
        {
            throw Problem($"JSON does not allow unquoted text ('{Shorten(span)}'); quote strings with \"");
        }

        _position = end;
        return Make(TokenKind.UnquotedText, start, end - start);
    }

    private Token QuotedOrTripleQuoted()
    {
        if (!_json && Peek(1) == '"' && Peek(2) == '"')
        {
            return TripleQuoted();
        }

        var start = _position;
        var line = _line;
        var column = start - _lineStart + 1;
        var value = ReadQuoted(_text, ref _position, new HoconOrigin(_description, line, column));
        return new Token(TokenKind.QuotedString, start, _position - start, line, column, value);
    }

    /// <summary>
    /// Spec, "Multi-line strings": everything up to the closing <c>"""</c> is taken as is, and any run of more than three
    /// quotes ends the string with the extra quotes inside it (<c>"""foo""""</c> is <c>foo"</c>).
    /// </summary>
    private Token TripleQuoted()
    {
        var start = _position;
        var line = _line;
        var column = start - _lineStart + 1;
        var contentStart = start + 3;
        var close = _text.IndexOf("\"\"\"", contentStart, StringComparison.Ordinal);
        if (close < 0)
        {
            throw new HoconParseException(new HoconOrigin(_description, line, column), "a triple-quoted string is not closed: expected '\"\"\"'");
        }

        var runEnd = close + 3;
        while (runEnd < _text.Length && _text[runEnd] == '"')
        {
            runEnd++;
        }

        var value = _text[contentStart..(runEnd - 3)];
        for (var i = start; i < runEnd; i++)
        {
            if (_text[i] == '\n')
            {
                _line++;
                _lineStart = i + 1;
            }
        }

        _position = runEnd;
        return new Token(TokenKind.QuotedString, start, runEnd - start, line, column, value);
    }

    /// <summary>
    /// <c>${path}</c> or <c>${?path}</c>. The path is a path expression without substitutions; whitespace around it is
    /// ignored, but <c>${?</c> must be written together.
    /// </summary>
    private Token Substitution()
    {
        var start = _position;
        var line = _line;
        var column = start - _lineStart + 1;
        var origin = new HoconOrigin(_description, line, column);
        _position += 2;
        var optional = false;
        if (Peek(0) == '?')
        {
            optional = true;
            _position++;
        }

        var path = new PathBuilder(origin);
        while (true)
        {
            if (_position >= _text.Length)
            {
                throw new HoconParseException(origin, "a substitution is not closed: expected '}' before the end of the input");
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
                path.AddQuoted(ReadQuoted(_text, ref _position, Here));
            }
            else if (CharClass.IsWhitespace(c))
            {
                var whitespace = WhitespaceRun();
                path.AddWhitespace(whitespace.Text(_text));
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
        return new Token(TokenKind.Substitution, start, _position - start, line, column, path: keys, optional: optional);
    }

    public static string Shorten(ReadOnlySpan<char> text) => text.Length <= 24 ? text.ToString() : string.Concat(text[..21], "...");
}
