using System.Text;
using ActorSync.Hocon.Parsing;
using ActorSync.Hocon.Resolution;
using ActorSync.Hocon.Tests.Support;

namespace ActorSync.Hocon.Tests.Parsing;

/// <summary>
/// The parser reads plain fields (<c>key = value</c> on one line) without tokens; everything else goes through the
/// tokenizer. Both must build the same tree, down to the types, the quoted marks and the origins, or fail with the
/// same message: these tests parse each text both ways and compare.
/// </summary>
public sealed class FastPathTests
{
    [Theory]
    [InlineData("a = 1\nb : two\nc = \"three\"\nd = true, e = false, f = null")]
    [InlineData("a = 5s\nb = 4GiB\nc = 1.0.0\nd = 1.0.0-beta\ne = -foo\nf = - 1\ng = 1e5\nh = 1E-5x")]
    [InlineData("a = truex\nb = nullable\nc = falsey\nd = atrue\ne = true false\nf = true  1")]
    [InlineData("a = Service number 12 of the document\nb = x  y\t z   # c\nc = p q // c")]
    [InlineData("a = foo\"bar\"\nb = \"foo\"bar\nc = \"\"\nd = \"\"\"x\"\"\"\ne = \"a\\nb\"\nf = \"a b\"  ")]
    [InlineData("a.b.c = 1\na.b.d = x y\na.b = { e = 2 }\n\"a.b\" = 3\na.\"b\".f = 4")]
    [InlineData("a = 1\na = 2\nb { c = 1 }\nb { d = 2 }\nb = 3\nb.e = 4")]
    [InlineData("a = x/y\nb = /usr/bin\nc = a//b\nd = x  // y\ne = \u00e9t\u00e9\nf = x\u00A0y")]
    [InlineData("a = ${b}\nb = 1\nc = ${b} x\nd = x ${?nope}\ne += 1\ne += 2")]
    [InlineData("a = [1, 2]\nb = {x = 1} {y = 2}\nc = [1] [2]\nd = 1 ]")]
    [InlineData("a = 1 }")]
    [InlineData("a = 1 b = 2")]
    [InlineData("a b = 1\na\n= 2\na = \n 3\ninclude = 4")]
    [InlineData("{ a = 1, b = two,\n c = three }")]
    [InlineData("a = 1,, b = 2")]
    [InlineData("a = 10e+3e")]
    [InlineData("a = 1\r\nb = two\r\nc = x y\r\n")]
    [InlineData("a { b = 1, c = [x, y, \"z w\"], d = ${a.b} }")]
    [InlineData("a = -\nb = .5\nc = 0.5.\nd = 00\ne = 01x")]
    [InlineData("a = [1,2,]\nb = [\n 1\n 2\n]\nc = [ x y, \"z\" , true ]\nd = [1] // c\ne = [# c\n1]\nf = [1\n,2]\ng = [ ]")]
    [InlineData("a = [1,,2]")]
    [InlineData("a = [1 2]")]
    [InlineData("a = [,]")]
    [InlineData("a = [1")]
    [InlineData("a = [[1, 2], [x, {b = 1}], 5s, \"q\"]")]
    [InlineData("a = 1\n, b = 2\nc = 3 , d = 4\n\n# c\n// d\ne = 5")]
    [InlineData("a = 1,\n,b = 2")]
    [InlineData("trueish = 1\nnull.x = 2\na-b_c = 3\n1a = 2\n-a = 3\n\u00e9 = 1\na/b = 1\nincludex = 1")]
    [InlineData("a\u00A0= 1")]
    [InlineData("x { a = 1 }\nx.b = 2\nx { c { d = 3 } }")]
    [InlineData("a { b = 1 } // c\nc = x y\nd = [1] , e = 2\nf = ${a.b}\ng = 3\nh = \"q\"\"r\"\ni = 4")]
    [InlineData("a = [x] [y]\nb = {p = 1}\n{q = 2}\nc = ${?z} 1\n, d = 1")]
    public void Plain_fields_parse_as_through_tokens(string text)
    {
        Assert.Equal(Parse(text, "test.conf", null, fastPath: false), Parse(text, "test.conf", null, fastPath: true));
    }

    // Every HOCON file of the conformance data, parsed both ways (includes are read as the tests read them).
    [ConformanceFact]
    public void Every_conformance_file_parses_as_through_tokens()
    {
        var files = System.IO.Directory.EnumerateFiles(ConformanceData.Directory!, "*.conf", SearchOption.AllDirectories).ToList();
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var text = File.ReadAllText(file);
            Assert.Equal(Parse(text, file, file, fastPath: false), Parse(text, file, file, fastPath: true));
        }
    }

    private static string Parse(string text, string description, string? fullPath, bool fastPath)
    {
        var options = new HoconParseOptions();
        var context = fullPath is null ? IncludeContext.ForString(options) : IncludeContext.ForFile(options, fullPath, description);
        try
        {
            var builder = new StringBuilder();
            Describe(new Parser(text, description, json: false, context, fastPath).ParseDocument(), builder);
            return builder.ToString();
        }
        catch (HoconException error)
        {
            return "error: " + error.Message;
        }
    }

    private static void Describe(HoconValue value, StringBuilder builder)
    {
        builder.Append(value.GetType().Name).Append('@').Append(value.Origin).Append(' ');
        switch (value)
        {
            case HoconObject obj:
                builder.Append('{');
                foreach (var (key, child) in obj)
                {
                    builder.Append(key).Append(" = ");
                    Describe(child, builder);
                    builder.Append("; ");
                }

                builder.Append('}');
                break;
            case HoconArray array:
                DescribeAll(array, builder);
                break;
            case HoconString text:
                builder.Append(text.IsQuoted ? "quoted " : "unquoted ").Append('\'').Append(text.Value).Append('\'');
                break;
            case Substitution substitution:
                builder.Append(substitution).Append(" under ").Append(string.Join('.', substitution.Prefix ?? []));
                break;
            case Concatenation concatenation:
                DescribeAll(concatenation.Pieces, builder);
                break;
            case DelayedMerge merge:
                DescribeAll(merge.Stack, builder);
                break;
            default:
                builder.Append(value);
                break;
        }
    }

    private static void DescribeAll(IEnumerable<HoconValue> values, StringBuilder builder)
    {
        builder.Append('[');
        foreach (var value in values)
        {
            Describe(value, builder);
            builder.Append(", ");
        }

        builder.Append(']');
    }
}
