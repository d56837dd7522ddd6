using System.Runtime.InteropServices;
using ActorSync.Hocon.Internal;
using ActorSync.Hocon.Resolution;

namespace ActorSync.Hocon.Parsing;

/// <summary>
/// Builds the value tree of one HOCON or JSON text from its tokens. Fields are merged as they are read (spec,
/// "Duplicate keys and object merging"); concatenations without substitutions are joined here; anything with a
/// substitution is left for the resolver. Includes are read and merged in <c>Parser.Includes.cs</c>; plain fields and
/// elements are read from the text without tokens in <c>Parser.FastPath.cs</c>.
/// </summary>
internal sealed partial class Parser
{
    private readonly Tokenizer _tokens;
    private readonly string _source;
    private readonly bool _json;
    private readonly IncludeContext _include;
    private readonly bool _fastPath;
    private readonly Token[] _pushed = new Token[4];

    /// <summary>The text of the simple values being concatenated; flushed before any nested value is parsed, so one suffices.</summary>
    private readonly System.Text.StringBuilder _run = new();

    /// <summary>
    /// How many distinct keys are interned. Repeated keys are few (field names); past that, keys are mostly unique
    /// names (one per service, say) that interning would only copy into a growing dictionary.
    /// </summary>
    private const int MaxInternedKeys = 512;

    /// <summary>Keys repeat a lot in configuration files; each distinct one is allocated once per document.</summary>
    private readonly Dictionary<string, string> _keys = new(StringComparer.Ordinal);

    /// <summary>The keys found last, by a cheap hash of their text: most repeated keys are found here without a dictionary lookup.</summary>
    private readonly string?[] _recentKeys = new string?[256];

    /// <summary>
    /// The keys of the fields being parsed, from the root down: the path of the object being parsed, which <c>+=</c> and
    /// includes need. Pushed and popped around each field's value, so no field allocates a path.
    /// </summary>
    private readonly List<string> _path = [];

    /// <summary>Above zero inside an array element, where a field has no path from the root.</summary>
    private int _pathless;

    /// <summary>Field buffers lent to the objects being parsed, given back at their closing brace (one per nesting level).</summary>
    private readonly Stack<ObjectField[]> _fieldBuffers = new();

    /// <summary>The elements of the arrays being parsed, nested arrays above the outer ones; each array takes its slice at ']'.</summary>
    private readonly List<ValueSlot> _elements = [];
    private int _pushedCount;

    /// <summary>A parser for one text; <paramref name="fastPath"/> false reads every field through tokens (tests compare both ways).</summary>
    public Parser(string text, string description, bool json, IncludeContext include, bool fastPath = true)
    {
        _tokens = new Tokenizer(text, description, json);
        _source = text;
        _json = json;
        _include = include;
        _fastPath = fastPath && !json;
    }

    /// <summary>Parses the whole text: an object (braces optional in HOCON) or an array, and nothing after it.</summary>
    public HoconValue ParseDocument()
    {
        try
        {
            return ParseRoot();
        }
        finally
        {
            foreach (var buffer in _fieldBuffers)
            {
                HoconObject.ReturnBuffer(buffer);
            }

            _fieldBuffers.Clear();
        }
    }

    private HoconValue ParseRoot()
    {
        var first = NextSignificant();
        HoconValue root;
        switch (first.Kind)
        {
            case TokenKind.OpenBrace:
                root = ParseObject(braced: true, Where(first));
                break;
            case TokenKind.OpenBracket:
                root = ParseArray(Where(first));
                break;
            case TokenKind.End when !_json:
                return new HoconObject(Where(first));
            default:
                if (_json)
                {
                    throw Problem(first, $"a JSON document must start with '{{' or '[', found {Describe(first)}");
                }

                PushBack(first);
                root = ParseObject(braced: false, Where(first));
                return root;
        }

        var trailing = NextSignificant();
        if (trailing.Kind != TokenKind.End)
        {
            throw Problem(trailing, $"expected the end of the document after the root {(root is HoconArray ? "array" : "object")}, found {Describe(trailing)}");
        }

        return root;
    }

    private HoconObject ParseObject(bool braced, OriginRef origin)
    {
        var result = HoconObject.CreateWithBuffer(
            origin,
            _fieldBuffers.Count > 0 ? _fieldBuffers.Pop() : new ObjectField[HoconObject.FirstBufferLength]);
        var afterField = false;
        while (true)
        {
            Token token;
            var separated = false;
            var comma = false;
            if (_fastPath && UnreadPushedToken())
            {
                // Separators, whitespace and comments are skipped in the text, and a plain field is read from it.
                _tokens.SkipSeparator(allowComma: afterField, out var newline, out comma);
                separated = newline || comma;
                if ((separated || !afterField) && TryParseFastField(result))
                {
                    afterField = true;
                    continue;
                }

                token = Next();
            }
            else
            {
                token = afterField ? ConsumeSeparator(out separated, out comma) : NextSignificant();
            }

            if (afterField)
            {
                if (token.Kind == TokenKind.CloseBrace || (token.Kind == TokenKind.End && !braced))
                {
                    if (_json && comma)
                    {
                        throw Problem(token, $"JSON does not allow a comma before {Describe(token)}");
                    }
                }
                else if (!separated)
                {
                    throw Problem(token, $"expected ',' or a newline after a field{(braced ? " or '}'" : "")}, found {Describe(token)}");
                }
            }

            switch (token.Kind)
            {
                case TokenKind.CloseBrace when braced:
                    _fieldBuffers.Push(result.Seal()!);
                    return result;
                case TokenKind.CloseBrace:
                    throw Problem(token, "found '}' without a matching '{' (the document has no root braces); quote it if it belongs in a string");
                case TokenKind.End when !braced:
                    _fieldBuffers.Push(result.Seal()!);
                    return result;
                case TokenKind.End:
                    throw Problem(token, $"expected '}}' to close the object opened at {origin.ToOrigin()}, found the end of the input");
                case TokenKind.UnquotedText when !_json && token.TextEquals(_source, "include"):
                    ParseInclude(result, CurrentPath(), token);
                    break;
                default:
                    ParseField(result, token);
                    break;
            }

            afterField = true;
        }
    }

    private void ParseField(HoconObject target, Token first)
    {
        var keyCount = ParseKey(first, out var separator);
        if (separator.Kind == TokenKind.Newline)
        {
            separator = NextSignificant();
        }

        ParseFieldValue(target, keyCount, separator);
    }

    /// <summary>The rest of a field once its <paramref name="keyCount"/> keys are on <see cref="_path"/>: separator, value, merge.</summary>
    private void ParseFieldValue(HoconObject target, int keyCount, Token separator)
    {
        HoconValue value;
        switch (separator.Kind)
        {
            case TokenKind.Colon:
            case TokenKind.Equals:
                value = ParseValue(ExpectValueStart(separator));
                break;
            case TokenKind.PlusEquals:
                value = ParsePlusEquals(separator);
                break;
            case TokenKind.OpenBrace when !_json:
                value = ParseValue(separator);
                break;
            default:
                throw Problem(
                    separator,
                    $"expected {(_json ? "':'" : "':', '=', '+=' or '{'")} after the key '{Tokenizer.Shorten(HoconPath.FromOwned(_path[^keyCount..].ToArray()).ToString())}', found {Describe(separator)}");
        }

        if (keyCount == 1)
        {
            SetMerged(target, _path[^1], new ValueLeaf(value));
            _path.RemoveAt(_path.Count - 1);
        }
        else
        {
            SetPath(target, CollectionsMarshal.AsSpan(_path)[^keyCount..], new ValueLeaf(value));
            _path.RemoveRange(_path.Count - keyCount, keyCount);
        }
    }

    /// <summary>Spec, "The += field separator": <c>a += b</c> becomes <c>a = ${?a} [b]</c>, with the field's full path.</summary>
    private Concatenation ParsePlusEquals(Token separator)
    {
        var fullPath = CurrentPath() ??
            throw Problem(separator, "'+=' cannot be used in an object inside an array: the field has no path for ${?...} to refer to");
        _pathless++;
        var element = ParseValue(ExpectValueStart(separator));
        _pathless--;
        var origin = Where(separator);
        var array = new HoconArray(element.OriginRef, 1);
        array.Add(element);
        return new Concatenation([new Substitution(fullPath, optional: true, _include.Prefix, origin), array], origin);
    }

    /// <summary>The path of the object being parsed (with the keys of the field being parsed, if any); null inside an array.</summary>
    private string[]? CurrentPath() => _pathless > 0 ? null : _path.ToArray();

    /// <summary>Parses a key and pushes its keys on <see cref="_path"/>; returns how many, and the token after the key.</summary>
    private int ParseKey(Token first, out Token after)
    {
        if (_json)
        {
            if (first.Kind != TokenKind.QuotedString)
            {
                throw Problem(first, $"expected a quoted key or '}}', found {Describe(first)}");
            }

            _path.Add(first.Text(_source));
            after = Next();
            return 1;
        }

        if (first.Kind == TokenKind.Substitution)
        {
            throw Problem(first, "substitutions are not allowed in keys");
        }

        if (!first.IsKeyPart)
        {
            throw Problem(first, $"expected a key{(first.Kind == TokenKind.Comma ? " (a comma may only follow a field)" : "")}, found {Describe(first)}");
        }

        // Fast path: one token, then something that is not part of a key.
        var next = Next();
        if (!next.IsKeyPart && next.Kind != TokenKind.Substitution)
        {
            after = next;
            if (first.Kind == TokenKind.QuotedString)
            {
                _path.Add(first.Text(_source));
                return 1;
            }

            var span = _source.AsSpan(first.Start, first.Length);
            if (span.IndexOf('.') < 0)
            {
                _path.Add(Intern(span));
                return 1;
            }

            if (span[0] != '.' && span[^1] != '.' && !span.Contains("..", StringComparison.Ordinal))
            {
                var count = 0;
                foreach (var range in span.Split('.'))
                {
                    _path.Add(Intern(span[range]));
                    count++;
                }

                return count;
            }
        }

        PushBack(next);
        var path = new PathBuilder(Where(first));
        var token = first;
        var later = false;
        while (true)
        {
            // Whitespace between the pieces of a key is part of it ("a b c" is one key); before the first it is not.
            if (later && token.HasSpaceBefore && token.IsKeyPart)
            {
                path.AddWhitespace(_source[token.SpaceStart..token.Start]);
            }

            later = true;

            if (token.Kind == TokenKind.QuotedString)
            {
                path.AddQuoted(token.Text(_source));
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
                after = token;
                var keys = path.Build("a key");
                _path.AddRange(keys);
                return keys.Length;
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

    private HoconArray ParseArray(OriginRef origin)
    {
        var start = _elements.Count;
        var afterElement = false;
        _pathless++;
        while (true)
        {
            Token token;
            var separated = false;
            var comma = false;
            if (_fastPath && UnreadPushedToken())
            {
                // As in objects: separators are skipped in the text, and a plain element is read from it.
                _tokens.SkipSeparator(allowComma: afterElement, out var newline, out comma);
                separated = newline || comma;
                if ((separated || !afterElement) && TryParseFastValue(_source, _tokens.Position, ']', out var element))
                {
                    _elements.Add(new ValueSlot(element));
                    afterElement = true;
                    continue;
                }

                token = Next();
            }
            else
            {
                token = afterElement ? ConsumeSeparator(out separated, out comma) : NextSignificant();
            }

            if (token.Kind == TokenKind.CloseBracket)
            {
                if (afterElement && _json && comma)
                {
                    throw Problem(token, "JSON does not allow a comma before ']'");
                }

                _pathless--;
                var items = CollectionsMarshal.AsSpan(_elements)[start..].ToArray();
                _elements.RemoveRange(start, items.Length);
                return new HoconArray(origin, items);
            }

            if (afterElement && !separated)
            {
                throw Problem(token, $"expected ',', a newline or ']' after an array element, found {Describe(token)}");
            }

            if (!token.StartsValue)
            {
                throw Problem(
                    token,
                    token.Kind == TokenKind.End
                        ? $"expected ']' to close the array opened at {origin.ToOrigin()}, found the end of the input"
                        : $"expected a value{(_elements.Count == start ? " or ']'" : "")} in the array, found {Describe(token)}");
            }

            _elements.Add(new ValueSlot(ParseValue(token)));
            afterElement = true;
        }
    }

    /// <summary>
    /// Spec, "Commas": one comma, or one or more newlines, separate fields and elements. Returns the next significant
    /// token, and whether a separator was seen and whether it included a comma; a second comma is left for the caller
    /// to reject.
    /// </summary>
    private Token ConsumeSeparator(out bool separated, out bool comma)
    {
        var newline = false;
        while (true)
        {
            var token = Next();
            switch (token.Kind)
            {
                case TokenKind.Newline:
                    newline = true;
                    continue;
                case TokenKind.Comma:
                    separated = true;
                    comma = true;
                    return NextSignificant();
                default:
                    separated = newline && !_json;
                    comma = false;
                    return token;
            }
        }
    }

    /// <summary>Extends a path; null stays null (inside an array a field has no path from the root).</summary>
    private static string[]? Append(string[]? path, string[] keys) =>
        path is null ? null : path.Length == 0 ? keys : [.. path, .. keys];

    private Token Next() => _pushedCount > 0 ? _pushed[--_pushedCount] : _tokens.Next();

    private void PushBack(Token token) => _pushed[_pushedCount++] = token;

    /// <summary>
    /// True when no token is pushed back, so the tokenizer stands where parsing goes on. A value ends with the token
    /// after it pushed back (a newline, a comma, a closing brace); when that is the only one and the last the tokenizer
    /// read, the tokenizer steps back before it instead, so that the fast path can read on from the text.
    /// </summary>
    private bool UnreadPushedToken()
    {
        if (_pushedCount == 1 && _pushed[0].Start + _pushed[0].Length == _tokens.Position)
        {
            _tokens.Rewind(_pushed[0].Start);
            _pushedCount = 0;
        }

        return _pushedCount == 0;
    }

    /// <summary>The next token that is not a newline.</summary>
    private Token NextSignificant()
    {
        while (true)
        {
            var token = Next();
            if (token.Kind != TokenKind.Newline)
            {
                return token;
            }
        }
    }

    private HoconOrigin Origin(Token token) => _tokens.Origin(token);

    /// <summary>A token's origin as values store it (line and column computed only if asked for).</summary>
    private OriginRef Where(Token token) => _tokens.OriginRef(token);

    private HoconParseException Problem(Token token, string message) => new(Origin(token), message);

    private string Describe(Token token) => token.Kind switch
    {
        TokenKind.End => "the end of the input",
        TokenKind.Newline => "a newline",
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

    private string Intern(ReadOnlySpan<char> text)
    {
        var slot = ((text.Length * 31) + (text[0] * 7) + text[^1]) & (256 - 1);
        if (_recentKeys[slot] is { } recent && text.SequenceEqual(recent))
        {
            return recent;
        }

        var lookup = _keys.GetAlternateLookup<ReadOnlySpan<char>>();
        if (!lookup.TryGetValue(text, out var key))
        {
            key = text.ToString();
            if (_keys.Count < MaxInternedKeys)
            {
                _keys[key] = key;
            }
        }

        _recentKeys[slot] = key;
        return key;
    }
}
