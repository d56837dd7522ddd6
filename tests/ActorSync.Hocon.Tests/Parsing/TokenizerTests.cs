using ActorSync.Hocon.Parsing;

namespace ActorSync.Hocon.Tests.Parsing;

public sealed class TokenizerTests
{
    /// <summary>Whitespace is no token of its own; the list shows a token's <see cref="Token.SpaceStart"/> as this pseudo-kind.</summary>
    private const TokenKind Space = (TokenKind)255;

    private static List<(TokenKind Kind, string Text)> Tokens(string text, bool json = false)
    {
        var tokenizer = new Tokenizer(text, "test.conf", json);
        var tokens = new List<(TokenKind, string)>();
        while (true)
        {
            var token = tokenizer.Next();
            if (token.Kind == TokenKind.End)
            {
                return tokens;
            }

            if (token.HasSpaceBefore)
            {
                tokens.Add((Space, text[token.SpaceStart..token.Start]));
            }

            tokens.Add((token.Kind, token.Kind == TokenKind.Substitution ? string.Join("|", token.Path!) + (token.Optional ? "?" : "") : token.Text(text)));
        }
    }

    // Spec, "Comments": "Anything between // or # and the next newline is considered a comment and ignored, unless the
    // // or # is inside a quoted string."
    [Fact]
    public void Comments_are_dropped_but_the_newline_after_them_stays()
    {
        Assert.Equal(
            [(TokenKind.UnquotedText, "a"), (TokenKind.Newline, "\n"), (TokenKind.Newline, "\n"), (TokenKind.QuotedString, "# not // a comment")],
            Tokens("a // one\n# two\n\"# not // a comment\""));
    }

    // Spec, "Unquoted strings": "truefoo parses as the boolean token true followed by the unquoted string foo. However,
    // footrue parses as the unquoted string footrue."
    [Theory]
    [InlineData("truefoo", "foo")]
    [InlineData("nullx", "x")]
    [InlineData("falsey", "y")]
    public void A_keyword_at_the_start_of_unquoted_text_is_a_keyword(string text, string rest)
    {
        var keyword = text[0] switch { 't' => TokenKind.True, 'n' => TokenKind.Null, _ => TokenKind.False };
        Assert.Equal([(keyword, text[..^rest.Length]), (TokenKind.UnquotedText, rest)], Tokens(text));
    }

    [Fact]
    public void A_keyword_inside_unquoted_text_is_text()
    {
        Assert.Equal([(TokenKind.UnquotedText, "footrue")], Tokens("footrue"));
    }

    // Spec: "10.0bar is the number 10.0 then the unquoted string bar but bar10.0 is the unquoted string bar10.0."
    [Fact]
    public void A_number_followed_by_letters_is_a_number_then_text()
    {
        Assert.Equal([(TokenKind.Number, "10.0"), (TokenKind.UnquotedText, "bar")], Tokens("10.0bar"));
        Assert.Equal([(TokenKind.UnquotedText, "bar10.0")], Tokens("bar10.0"));
    }

    // Spec, "Unchanged from JSON": "allowed number formats matches JSON".
    [Theory]
    [InlineData("1.0.0")]
    [InlineData("10e3e3")]
    [InlineData("1-e3")]
    [InlineData("01")]
    [InlineData("-")]
    public void Text_that_starts_like_a_number_but_is_not_JSON_is_unquoted_text(string text)
    {
        Assert.Equal(TokenKind.UnquotedText, Tokens(text)[0].Kind);
    }

    [Theory]
    [InlineData("-12")]
    [InlineData("0.5")]
    [InlineData("10e+3")]
    [InlineData("1E-7")]
    public void Json_numbers_are_numbers(string text)
    {
        Assert.Equal([(TokenKind.Number, text)], Tokens(text));
    }

    // Spec, "Whitespace": "any Unicode space separator (Zs category) ... The BOM (0xFEFF) must also be treated as
    // whitespace", plus 0x1C-0x1F; "newline" is only 0x0A.
    [Theory]
    [InlineData('\u00A0')]
    [InlineData('\u2003')]
    [InlineData('\u202F')]
    [InlineData('\uFEFF')]
    [InlineData('\u001C')]
    [InlineData('\v')]
    [InlineData('\r')]
    public void Unicode_separators_and_the_bom_are_whitespace(char space)
    {
        Assert.Equal([(TokenKind.UnquotedText, "a"), (Space, space.ToString()), (TokenKind.UnquotedText, "b")], Tokens($"a{space}b"));
    }

    [Fact]
    public void Quoted_strings_unescape_json_escapes()
    {
        Assert.Equal([(TokenKind.QuotedString, "a\"b\\c/d\b\f\n\r\té")], Tokens("\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u00e9\""));
    }

    // Spec, "Multi-line strings": "any sequence of at least three quotes ends the multi-line string, and any "extra"
    // quotes are part of the string." and "Unicode escapes are not interpreted in triple-quoted strings."
    [Theory]
    [InlineData("\"\"\"foo\"\"\"\"", "foo\"")]
    [InlineData("\"\"\"\"\"\"\"\"", "\"\"")]
    [InlineData("\"\"\"a\nb \\n\"\"\"", "a\nb \\n")]
    public void Triple_quoted_strings_are_taken_literally(string text, string value)
    {
        Assert.Equal([(TokenKind.QuotedString, value)], Tokens(text));
    }

    // Spec, "Substitutions": "The ? in ${?pathexpression} must not have whitespace before it".
    [Theory]
    [InlineData("${a.b}", "a|b")]
    [InlineData("${?a}", "a?")]
    [InlineData("${  \"a.b\" . c  }", "a.b | c")]
    [InlineData("${foo  \"bar\"  baz}", "foo  bar  baz")]
    [InlineData("${1.2}", "1|2")]
    public void Substitutions_carry_their_path(string text, string path)
    {
        Assert.Equal([(TokenKind.Substitution, path)], Tokens(text));
    }

    [Theory]
    [InlineData("${ ?a}", "reserved character '?'")]
    [InlineData("${a", "not closed")]
    [InlineData("${${a}}", "cannot be nested")]
    [InlineData("${a # b}", "found a comment")]
    [InlineData("${}", "expected a path")]
    [InlineData("${a..b}", "empty key")]
    [InlineData("$a", "'$' must start a substitution")]
    [InlineData("a + b", "'+' is not allowed")]
    [InlineData("\"open", "not closed")]
    [InlineData("\"a\nb\"", "unescaped a newline")]
    [InlineData("\"\\x\"", "found '\\x'")]
    [InlineData("@", "reserved character")]
    [InlineData("10e+3e", "'+' is not allowed")]
    public void Bad_input_is_a_parse_error_at_its_origin(string text, string fragment)
    {
        var error = Assert.Throws<HoconParseException>(() => Tokens(text));
        Assert.StartsWith("test.conf:1:", error.Message, StringComparison.Ordinal);
        Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Tokens_know_their_line_and_column()
    {
        var tokenizer = new Tokenizer("a {\n  b = \"\"\"x\ny\"\"\" c", "f", json: false);
        var tokens = Enumerable.Range(0, 12).Select(_ => tokenizer.Next()).Where(t => t.Kind is TokenKind.UnquotedText or TokenKind.QuotedString).ToList();
        Assert.Equal([(1, 1), (2, 3), (2, 7), (3, 6)], tokens.Select(t => (tokenizer.Origin(t).Line, tokenizer.Origin(t).Column)));
    }

    [Theory]
    [InlineData("{ a: 1 }", "unquoted text")]
    [InlineData("// c\n{}", "comments")]
    [InlineData("{\"a\" = 1}", "'='")]
    [InlineData("[01]", "not a JSON number")]
    public void Json_syntax_is_strict(string text, string fragment)
    {
        var error = Assert.Throws<HoconParseException>(() => Tokens(text, json: true));
        Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
    }
}
