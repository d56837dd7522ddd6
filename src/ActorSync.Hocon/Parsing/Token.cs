namespace ActorSync.Hocon.Parsing;

/// <summary>The kinds of token; <see cref="Token.StartsValue"/> and <see cref="Token.IsKeyPart"/> rely on their order.</summary>
internal enum TokenKind : byte
{
    End,
    Newline,
    Comma,
    Colon,
    Equals,
    PlusEquals,
    OpenBrace,
    CloseBrace,
    OpenBracket,
    CloseBracket,
    QuotedString,
    UnquotedText,
    Number,
    True,
    False,
    Null,
    Substitution,
}

/// <summary>
/// One token. Text-like tokens point into the source (<see cref="Start"/>, <see cref="Length"/>) so that unquoted text
/// costs no allocation until a value needs it; quoted strings carry their unescaped <see cref="Value"/>, substitutions
/// their parsed <see cref="Path"/>. Whitespace is not a token of its own: <see cref="SpaceStart"/> tells where the run of
/// whitespace right before the token starts (equal to <see cref="Start"/> when there is none), which is all that
/// concatenations and keys need to keep it ("foo bar" is one string), at a fraction of the tokens.
/// </summary>
internal readonly struct Token
{
    private readonly object? _payload;

    public Token(TokenKind kind, int start, int length, int spaceStart, object? payload = null, bool optional = false, byte quote = 0)
    {
        Kind = kind;
        Optional = optional;
        Quote = quote;
        Start = start;
        Length = length;
        SpaceStart = spaceStart;
        _payload = payload;
    }

    public TokenKind Kind { get; }

    /// <summary>True for <c>${?path}</c>.</summary>
    public bool Optional { get; }

    /// <summary>
    /// For a quoted string without escapes (which has no <see cref="Value"/>): 1 for <c>"..."</c>, 3 for <c>"""..."""</c>;
    /// its text is the source between the quotes (<see cref="ContentStart"/>, <see cref="ContentLength"/>).
    /// </summary>
    public byte Quote { get; }

    public int Start { get; }

    public int Length { get; }

    public int ContentStart => Start + Quote;

    public int ContentLength => Length - (2 * Quote);

    /// <summary>Where the whitespace before the token starts; only meaningful when no newline or comment precedes it on its line.</summary>
    public int SpaceStart { get; }

    /// <summary>True when whitespace separates the token from the one before it on the same line.</summary>
    public bool HasSpaceBefore => SpaceStart < Start;

    /// <summary>The unescaped text of a quoted string that had escapes; see <see cref="Quote"/> for one without.</summary>
    public string? Value => _payload as string;

    /// <summary>The keys of a substitution's path.</summary>
    public string[]? Path => _payload as string[];

    /// <summary>True for the tokens that can start (or continue) a value concatenation.</summary>
    public bool StartsValue => Kind >= TokenKind.OpenBrace && Kind != TokenKind.CloseBrace && Kind != TokenKind.CloseBracket;

    /// <summary>True for the simple tokens a key (path expression) is made of.</summary>
    public bool IsKeyPart => Kind is >= TokenKind.QuotedString and <= TokenKind.Null;

    /// <summary>The token's text: a quoted string's value, the source text of anything else.</summary>
    public string Text(string source) => Value ?? source.Substring(ContentStart, ContentLength);

    /// <summary>True for unquoted text (or a number or keyword) written exactly as <paramref name="expected"/>.</summary>
    public bool TextEquals(string source, string expected) =>
        Kind != TokenKind.QuotedString && Length == expected.Length && source.AsSpan(Start, Length).SequenceEqual(expected);
}
