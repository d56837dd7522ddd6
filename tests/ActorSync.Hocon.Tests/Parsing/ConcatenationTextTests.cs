using static ActorSync.Hocon.Tests.Support.HoconText;

namespace ActorSync.Hocon.Tests.Parsing;

/// <summary>
/// The parser joins a run of simple values by slicing the source when it can (no quoted string in it) and with a
/// builder otherwise; whitespace between values is not a token but remembered by the token after it. Both ways must
/// give the spec's string.
/// </summary>
public sealed class ConcatenationTextTests
{
    // Spec, "Value concatenation": "the whitespace between values is kept" and "a sequence of values ... is a string".
    [Theory]
    [InlineData("a = foo bar  baz", "foo bar  baz")]
    [InlineData("a = 5s", "5s")]
    [InlineData("a = 1 2\t3", "1 2\t3")]
    [InlineData("a = true  false null", "true  false null")]
    [InlineData("a = foo \"bar\" baz", "foo bar baz")]
    [InlineData("a = \"foo\"  bar", "foo  bar")]
    [InlineData("a = \"a b\"\"c\" d", "a bc d")]
    [InlineData("a = foo \"\"\"x\ny\"\"\"  z", "foo x\ny  z")]
    [InlineData("a = 10.0bar", "10.0bar")]
    [InlineData("a = foo\u00A0bar", "foo\u00A0bar")]
    [InlineData("a = foo bar // comment", "foo bar")]
    [InlineData("a = foo bar   # comment\nb = 1", "foo bar")]
    public void Runs_of_simple_values_become_one_string(string text, string expected)
    {
        var root = (HoconObject)Resolve(text);
        Assert.Equal(expected, Assert.IsType<HoconString>(root["a"]).Value);
    }

    [Theory]
    [InlineData("b = x\na = foo ${b} bar", "foo x bar")]
    [InlineData("b = x\na = \"q\" ${b}  \"r\" s", "q x  r s")]
    [InlineData("b = x\na = ${b}${b} ${b}", "xx x")]
    public void Whitespace_around_substitutions_is_kept(string text, string expected)
    {
        var root = (HoconObject)Resolve(text);
        Assert.Equal(expected, Assert.IsType<HoconString>(root["a"]).Value);
    }

    [Fact]
    public void Whitespace_between_objects_and_arrays_is_ignored()
    {
        Assert.Equal(J("{'a':{'x':1,'y':2},'b':[1,2]}"), Json("a = {x:1}   {y:2}\nb = [1]\t[2]"));
    }

    // Spec, "Path expressions": "whitespace between the pieces of a key is kept".
    [Theory]
    [InlineData("a b  c = 1", "a b  c")]
    [InlineData("a \"b\" c = 1", "a b c")]
    [InlineData("  a b = 1", "a b")]
    public void Whitespace_inside_a_key_is_kept_but_not_around_it(string text, string key)
    {
        var root = (HoconObject)Resolve(text);
        Assert.Equal([key], root.Keys);
    }

    [Fact]
    public void The_origin_of_a_run_is_its_first_value()
    {
        var root = (HoconObject)Resolve("x = 1\n  a =   foo bar");
        Assert.Equal(new HoconOrigin("test.conf", 2, 9), root["a"].Origin);
    }
}
