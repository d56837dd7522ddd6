namespace ActorSync.Hocon.Tests.Parsing;

/// <summary>
/// Values keep an offset into their source and get their line and column when asked; these check that the numbers are
/// the ones a line-counting tokenizer gives: 1-based, columns in UTF-16 code units, a JSON byte order mark not counted.
/// </summary>
public sealed class OriginTests
{
    private static HoconObject Parse(string text, HoconSyntax syntax = HoconSyntax.Conf) =>
        (HoconObject)HoconParser.Parse(text, new HoconParseOptions { Description = "o.conf", Syntax = syntax }).Resolve(HoconResolveOptions.WithoutEnvironment);

    [Fact]
    public void Lines_count_every_newline_even_inside_triple_quoted_strings()
    {
        var root = Parse("a = 1\nb = \"\"\"x\ny\"\"\"\nc = [1,\n  2]\r\nd = x y\n  e = ${a}\n");
        Assert.Equal(new HoconOrigin("o.conf", 1, 5), root["a"].Origin);
        Assert.Equal(new HoconOrigin("o.conf", 2, 5), root["b"].Origin);
        Assert.Equal(new HoconOrigin("o.conf", 4, 5), root["c"].Origin);
        Assert.Equal(new HoconOrigin("o.conf", 5, 3), ((HoconArray)root["c"])[1].Origin);
        Assert.Equal(new HoconOrigin("o.conf", 6, 5), root["d"].Origin);
        Assert.Equal(new HoconOrigin("o.conf", 1, 5), root["e"].Origin);
    }

    [Fact]
    public void The_first_and_last_lines_have_origins_too()
    {
        var root = Parse("x=\"q\"\n\n\nlast = \"\u00e9t\u00e9\" ");
        Assert.Equal(new HoconOrigin("o.conf", 1, 3), root["x"].Origin);
        Assert.Equal(new HoconOrigin("o.conf", 4, 8), root["last"].Origin);
        Assert.Equal("\u00e9t\u00e9", ((HoconString)root["last"]).Value);
    }

    [Fact]
    public void A_json_byte_order_mark_is_not_a_column_but_a_hocon_one_is_whitespace()
    {
        Assert.Equal(new HoconOrigin("o.conf", 1, 7), Parse("\uFEFF{\"a\": 1}", HoconSyntax.Json)["a"].Origin);
        Assert.Equal(new HoconOrigin("o.conf", 1, 6), Parse("\uFEFFa = 1")["a"].Origin);
    }

    [Fact]
    public void Errors_name_the_line_and_column()
    {
        var error = Assert.Throws<HoconParseException>(() => HoconParser.Parse("a = 1\nb = \"\"\"x\ny\"\"\"\n  c = [1 : 2]", new HoconParseOptions { Description = "o.conf" }));
        Assert.StartsWith("o.conf:4:10:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Values_created_with_an_origin_keep_it()
    {
        var origin = new HoconOrigin("made", 7, 9);
        Assert.Equal(origin, new HoconString("x", origin).Origin);
        Assert.Equal(origin, new HoconNumber("1", origin).Origin);
        Assert.Equal(origin, new HoconObject([], origin).Origin);
        Assert.Equal(origin, new HoconArray([], origin).Origin);
    }
}
