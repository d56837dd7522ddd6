namespace ActorSync.Hocon.Parsing;

internal enum TokenKind : byte
{
    End,
    Newline,
    Whitespace,
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
/// One token. Text-like tokens point into the source (<see cref="Start"/>, <see cref="Length"/>) so that whitespace and
/// unquoted text cost no allocation until a value needs them; quoted strings carry their unescaped
/// <see cref="Value"/>, substitutions their parsed <see cref="Path"/>.
/// </summary>
internal readonly struct Token(TokenKind kind, int start, int length, int line, int column, string? value = null, string[]? path = null, bool optional = false)
{
    public TokenKind Kind { get; } = kind;

    public int Start { get; } = start;

    public int Length { get; } = length;

    public int Line { get; } = line;

    public int Column { get; } = column;

    /// <summary>The unescaped text of a quoted string.</summary>
    public string? Value { get; } = value;

    /// <summary>The keys of a substitution's path.</summary>
    public string[]? Path { get; } = path;

    /// <summary>True for <c>${?path}</c>.</summary>
    public bool Optional { get; } = optional;

    /// <summary>True for the tokens that can start (or continue) a value concatenation.</summary>
    public bool StartsValue => Kind is TokenKind.QuotedString or TokenKind.UnquotedText or TokenKind.Number or TokenKind.True
        or TokenKind.False or TokenKind.Null or TokenKind.Substitution or TokenKind.OpenBrace or TokenKind.OpenBracket;

    /// <summary>True for the simple tokens a key (path expression) is made of.</summary>
    public bool IsKeyPart => Kind is TokenKind.QuotedString or TokenKind.UnquotedText or TokenKind.Number or TokenKind.True
        or TokenKind.False or TokenKind.Null;

    public string Text(string source) => Value ?? source.Substring(Start, Length);

    public bool TextEquals(string source, string expected) =>
        Value is null && source.AsSpan(Start, Length).SequenceEqual(expected);
}
