using ActorSync.Hocon.Internal;
using ActorSync.Hocon.Resolution;

namespace ActorSync.Hocon.Parsing;

/// <summary>
/// Builds the value tree of one HOCON or JSON text from its tokens. Fields are merged as they are read (spec,
/// "Duplicate keys and object merging"); concatenations without substitutions are joined here; anything with a
/// substitution is left for the resolver. Includes are read and merged in <c>Parser.Includes.cs</c>.
/// </summary>
internal sealed partial class Parser
{
    private readonly Tokenizer _tokens;
    private readonly string _source;
    private readonly bool _json;
    private readonly IncludeContext _include;
    private readonly Token[] _pushed = new Token[4];

    /// <summary>The text of the simple values being concatenated; flushed before any nested value is parsed, so one suffices.</summary>
    private readonly System.Text.StringBuilder _run = new();

    /// <summary>Keys repeat a lot in configuration files; each distinct one is allocated once per document.</summary>
    private readonly Dictionary<string, string> _keys = new(StringComparer.Ordinal);
    private int _pushedCount;

    public Parser(string text, string description, bool json, IncludeContext include)
    {
        _tokens = new Tokenizer(text, description, json);
        _source = text;
        _json = json;
        _include = include;
    }

    /// <summary>Parses the whole text: an object (braces optional in HOCON) or an array, and nothing after it.</summary>
    public HoconValue ParseDocument()
    {
        var first = NextSignificant();
        HoconValue root;
        switch (first.Kind)
        {
            case TokenKind.OpenBrace:
                root = ParseObject(braced: true, [], Origin(first));
                break;
            case TokenKind.OpenBracket:
                root = ParseArray(Origin(first));
                break;
            case TokenKind.End when !_json:
                return new HoconObject(Origin(first));
            default:
                if (_json)
                {
                    throw Problem(first, $"a JSON document must start with '{{' or '[', found {Describe(first)}");
                }

                PushBack(first);
                root = ParseObject(braced: false, [], Origin(first));
                return root;
        }

        var trailing = NextSignificant();
        if (trailing.Kind != TokenKind.End)
        {
            throw Problem(trailing, $"expected the end of the document after the root {(root is HoconArray ? "array" : "object")}, found {Describe(trailing)}");
        }

        return root;
    }

    private HoconObject ParseObject(bool braced, string[]? path, HoconOrigin origin)
    {
        var result = HoconObject.CreatePooled(origin);
        while (true)
        {
            var token = NextSignificant();
            switch (token.Kind)
            {
                case TokenKind.CloseBrace when braced:
                    result.Seal();
                    return result;
                case TokenKind.CloseBrace:
                    throw Problem(token, "found '}' without a matching '{' (the document has no root braces); quote it if it belongs in a string");
                case TokenKind.End when !braced:
                    result.Seal();
                    return result;
                case TokenKind.End:
                    throw Problem(token, $"expected '}}' to close the object opened at {origin}, found the end of the input");
                case TokenKind.UnquotedText when !_json && token.TextEquals(_source, "include"):
                    ParseInclude(result, path, token);
                    break;
                default:
                    ParseField(result, path, token);
                    break;
            }

            var (separated, comma) = ConsumeSeparator();
            var next = PeekSignificant();
            if (next.Kind == TokenKind.CloseBrace || (next.Kind == TokenKind.End && !braced))
            {
                if (_json && comma)
                {
                    throw Problem(next, $"JSON does not allow a comma before {Describe(next)}");
                }

                continue;
            }

            if (!separated)
            {
                throw Problem(next, $"expected ',' or a newline after a field{(braced ? " or '}'" : "")}, found {Describe(next)}");
            }
        }
    }

    private void ParseField(HoconObject target, string[]? objectPath, Token first)
    {
        var key = ParseKey(first);
        var separator = NextSignificant();
        var path = new LazyPath(objectPath, key);
        HoconValue value;
        switch (separator.Kind)
        {
            case TokenKind.Colon:
            case TokenKind.Equals:
                value = ParseValue(ExpectValueStart(separator), path);
                break;
            case TokenKind.PlusEquals:
                value = ParsePlusEquals(separator, objectPath, key.ToArray());
                break;
            case TokenKind.OpenBrace when !_json:
                value = ParseValue(separator, path);
                break;
            default:
                throw Problem(
                    separator,
                    $"expected {(_json ? "':'" : "':', '=', '+=' or '{'")} after the key '{Tokenizer.Shorten(HoconPath.FromOwned(key.ToArray()).ToString())}', found {Describe(separator)}");
        }

        if (key.Single is { } single)
        {
            target.TryGetValue(single, out var existing);
            target.Set(single, Merging.MergeInPlace(existing, value));
        }
        else
        {
            SetPath(target, key.Many!, 0, value);
        }
    }

    /// <summary>Spec, "The += field separator": <c>a += b</c> becomes <c>a = ${?a} [b]</c>, with the field's full path.</summary>
    private Concatenation ParsePlusEquals(Token separator, string[]? objectPath, string[] keys)
    {
        if (objectPath is null)
        {
            throw Problem(separator, "'+=' cannot be used in an object inside an array: the field has no path for ${?...} to refer to");
        }

        var fullPath = Append(objectPath, keys)!;
        var element = ParseValue(ExpectValueStart(separator), LazyPath.InArray);
        var origin = Origin(separator);
        var array = new HoconArray(element.Origin, 1);
        array.Add(element);
        return new Concatenation([new Substitution(fullPath, optional: true, _include.Prefix, origin), array], origin);
    }

    private KeyPath ParseKey(Token first)
    {
        if (_json)
        {
            if (first.Kind != TokenKind.QuotedString)
            {
                throw Problem(first, $"expected a quoted key or '}}', found {Describe(first)}");
            }

            return new KeyPath(first.Value!, null);
        }

        if (first.Kind == TokenKind.Substitution)
        {
            throw Problem(first, "substitutions are not allowed in keys");
        }

        if (!first.IsKeyPart)
        {
            throw Problem(first, $"expected a key{(first.Kind == TokenKind.Comma ? " (a comma may only follow a field)" : "")}, found {Describe(first)}");
        }

        // Fast path: one token, perhaps followed by whitespace, then something that is not part of a key.
        var next = Next();
        var whitespace = default(Token);
        if (next.Kind == TokenKind.Whitespace)
        {
            whitespace = next;
            next = Next();
        }

        if (!next.IsKeyPart && next.Kind != TokenKind.Substitution)
        {
            PushBack(next);
            if (first.Kind == TokenKind.QuotedString)
            {
                return new KeyPath(first.Value!, null);
            }

            var span = _source.AsSpan(first.Start, first.Length);
            if (span.IndexOf('.') < 0)
            {
                return new KeyPath(Intern(span), null);
            }

            if (span[0] != '.' && span[^1] != '.' && !span.Contains("..", StringComparison.Ordinal))
            {
                var keys = new string[span.Count('.') + 1];
                var index = 0;
                foreach (var range in span.Split('.'))
                {
                    keys[index++] = Intern(span[range]);
                }

                return new KeyPath(null, keys);
            }
        }

        PushBack(next);
        if (whitespace.Kind == TokenKind.Whitespace)
        {
            PushBack(whitespace);
        }

        var path = new PathBuilder(Origin(first));
        var token = first;
        while (true)
        {
            if (token.Kind == TokenKind.QuotedString)
            {
                path.AddQuoted(token.Value!);
            }
            else if (token.Kind == TokenKind.Whitespace)
            {
                path.AddWhitespace(token.Text(_source));
            }
            else if (token.IsKeyPart)
            {
                path.AddUnquoted(_source.AsSpan(token.Start, token.Length));
            }
            else if (token.Kind == TokenKind.Substitution)
            {
                throw Problem(token, "substitutions are not allowed in keys");
            }
            else
            {
                PushBack(token);
                var keys = path.Build("a key");
                return keys.Length == 1 ? new KeyPath(keys[0], null) : new KeyPath(null, keys);
            }

            token = Next();
        }
    }

    private Token ExpectValueStart(Token after)
    {
        var token = NextSignificant();
        if (!token.StartsValue)
        {
            throw Problem(token, $"expected a value after {Describe(after)}, found {Describe(token)}");
        }

        return token;
    }

    private HoconArray ParseArray(HoconOrigin origin)
    {
        var array = new HoconArray(origin);
        var token = NextSignificant();
        if (token.Kind == TokenKind.CloseBracket)
        {
            return array;
        }

        while (true)
        {
            if (!token.StartsValue)
            {
                throw Problem(
                    token,
                    token.Kind == TokenKind.End
                        ? $"expected ']' to close the array opened at {origin}, found the end of the input"
                        : $"expected a value{(array.Count == 0 ? " or ']'" : "")} in the array, found {Describe(token)}");
            }

            array.Add(ParseValue(token, LazyPath.InArray));
            var (separated, comma) = ConsumeSeparator();
            token = NextSignificant();
            if (token.Kind == TokenKind.CloseBracket)
            {
                if (_json && comma)
                {
                    throw Problem(token, "JSON does not allow a comma before ']'");
                }

                return array;
            }

            if (!separated)
            {
                throw Problem(token, $"expected ',', a newline or ']' after an array element, found {Describe(token)}");
            }
        }
    }

    /// <summary>
    /// Spec, "Commas": one comma, or one or more newlines, separate fields and elements. Returns whether a separator
    /// was seen and whether it included a comma; a second comma is left for the caller to reject.
    /// </summary>
    private (bool Separated, bool Comma) ConsumeSeparator()
    {
        var newline = false;
        while (true)
        {
            var token = Next();
            switch (token.Kind)
            {
                case TokenKind.Whitespace:
                    continue;
                case TokenKind.Newline:
                    newline = true;
                    continue;
                case TokenKind.Comma:
                    return (true, true);
                default:
                    PushBack(token);
                    return (newline && !_json, false);
            }
        }
    }

    /// <summary>Spec, "Paths as keys": <c>a.b.c : 1</c> is <c>a { b { c : 1 } }</c>, merged like any duplicate key.</summary>
    private static void SetPath(HoconObject target, string[] keys, int index, HoconValue value)
    {
        var key = keys[index];
        target.TryGetValue(key, out var existing);
        if (index == keys.Length - 1)
        {
            target.Set(key, Merging.MergeInPlace(existing, value));
            return;
        }

        if (existing is HoconObject child)
        {
            SetPath(child, keys, index + 1, value);
            if (!child.IsResolved)
            {
                target.MarkUnresolved();
            }

            return;
        }

        var created = new HoconObject(value.Origin);
        SetPath(created, keys, index + 1, value);
        target.Set(key, Merging.MergeInPlace(existing, created));
    }

    /// <summary>Extends a path; null stays null (inside an array a field has no path from the root).</summary>
    private static string[]? Append(string[]? path, string[] keys) =>
        path is null ? null : path.Length == 0 ? keys : [.. path, .. keys];

    private Token Next() => _pushedCount > 0 ? _pushed[--_pushedCount] : _tokens.Next();

    /// <summary>The next token that is not whitespace or a newline, left in place; the skipped ones are dropped.</summary>
    private Token PeekSignificant()
    {
        var token = NextSignificant();
        PushBack(token);
        return token;
    }

    private void PushBack(Token token) => _pushed[_pushedCount++] = token;

    private Token NextSignificant()
    {
        while (true)
        {
            var token = Next();
            if (token.Kind is not (TokenKind.Whitespace or TokenKind.Newline))
            {
                return token;
            }
        }
    }

    private HoconOrigin Origin(Token token) => _tokens.Origin(token);

    private HoconParseException Problem(Token token, string message) => new(Origin(token), message);

    private string Describe(Token token) => token.Kind switch
    {
        TokenKind.End => "the end of the input",
        TokenKind.Newline => "a newline",
        TokenKind.Whitespace => "whitespace",
        TokenKind.Comma => "','",
        TokenKind.Colon => "':'",
        TokenKind.Equals => "'='",
        TokenKind.PlusEquals => "'+='",
        TokenKind.OpenBrace => "'{'",
        TokenKind.CloseBrace => "'}'",
        TokenKind.OpenBracket => "'['",
        TokenKind.CloseBracket => "']'",
        TokenKind.QuotedString => "a quoted string",
        TokenKind.Number => $"the number {Tokenizer.Shorten(_source.AsSpan(token.Start, token.Length))}",
        TokenKind.True => "'true'",
        TokenKind.False => "'false'",
        TokenKind.Null => "'null'",
        TokenKind.Substitution => "a substitution",
        _ => $"'{Tokenizer.Shorten(_source.AsSpan(token.Start, token.Length))}'",
    };

    /// <summary>
    /// A field's path, built only when a nested object needs it (for <c>+=</c> and includes inside it), so scalar
    /// fields cost no array. Inside an array there is no path.
    /// </summary>
    private readonly struct LazyPath(string[]? parent, KeyPath key)
    {
        public static LazyPath InArray => default;

        public string[]? Materialize() => parent is null ? null : Append(parent, key.ToArray());
    }

    /// <summary>A key path: most keys are a single key, which needs no array.</summary>
    private readonly record struct KeyPath(string? Single, string[]? Many)
    {
        public string[] ToArray() => Many ?? [Single!];
    }

    private string Intern(ReadOnlySpan<char> text)
    {
        var lookup = _keys.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(text, out var known))
        {
            return known;
        }

        var key = text.ToString();
        if (_keys.Count < 4096)
        {
            _keys[key] = key;
        }

        return key;
    }
}
