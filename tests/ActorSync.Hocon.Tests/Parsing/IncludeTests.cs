using ActorSync.Hocon.Tests.Support;
using static ActorSync.Hocon.Tests.Support.HoconText;

namespace ActorSync.Hocon.Tests.Parsing;

public sealed class IncludeTests : IDisposable
{
    private readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string Load(string main) =>
        HoconParser.ParseFile(_folder.Write("main.conf", main)).Resolve(HoconResolveOptions.WithoutEnvironment).ToJson();

    // Spec, "Include semantics: locating resources": "if the included file is a relative path, then it should be located
    // relative to the directory containing the including file. The current working directory of the process parsing a
    // file must NOT be used".
    [Fact]
    public void Relative_includes_are_located_next_to_the_including_file()
    {
        _folder.Write("conf/a.conf", "a = 1\ninclude \"sub/b.conf\"");
        _folder.Write("conf/sub/b.conf", "b = 2");
        Assert.Equal(J("{'x':{'a':1,'b':2}}"), Load("x { include \"conf/a.conf\" }"));
    }

    // Spec, "Include semantics: merging": "the included key's value overrides or merges with the earlier value" and "the
    // including file's value would override or merge with the one from the included file".
    [Fact]
    public void Included_fields_merge_like_duplicate_keys()
    {
        _folder.Write("inc.conf", "o { b = 2 }\nv = included");
        Assert.Equal(J("{'o':{'a':1,'b':2,'c':3},'v':'after'}"), Load("o { a = 1 }\nv = before\ninclude \"inc.conf\"\no { c = 3 }\nv = after"));
    }

    // Spec, "Include semantics: substitution": "Substitutions in included files are looked up at two different paths;
    // first, relative to the root of the included file; second, relative to the root of the including configuration."
    [Fact]
    public void Substitutions_in_included_files_are_fixed_up_to_the_include_point()
    {
        _folder.Write("foo.conf", "x : 10, y : ${x}, z : ${top}");
        Assert.Equal(J("{'a':{'x':42,'y':42,'z':'root'},'top':'root'}"), Load("a : { include \"foo.conf\" }\na : { x : 42 }\ntop = root"));
    }

    // Spec, "Include semantics: file formats and extensions": "include "foo" might be equivalent to: include
    // "foo.properties", include "foo.json", include "foo.conf"".
    [Fact]
    public void A_name_without_extension_loads_and_merges_every_format()
    {
        _folder.Write("both.properties", "p = from-properties\nall = properties");
        _folder.Write("both.json", "{ \"j\": 1, \"all\": \"json\" }");
        _folder.Write("both.conf", "c = true\nall = conf");
        Assert.Equal(J("{'p':'from-properties','all':'conf','j':1,'c':true}"), Load("include \"both\""));
    }

    // Spec, "Include semantics: missing files and required files".
    [Fact]
    public void Missing_includes_are_ignored_unless_required()
    {
        Assert.Equal(J("{'a':1}"), Load("include \"nothere\"\ninclude \"nothere.conf\"\na = 1"));
        var error = Assert.Throws<HoconParseException>(() => Load("a = 1\ninclude required(\"nothere.conf\")"));
        Assert.Equal(
            $"{_folder.Path}/main.conf:2:1: required include \"nothere.conf\" was not found (looked for {_folder.Path}/nothere.conf)",
            error.Message);
    }

    [Fact]
    public void Required_file_and_whitespace_inside_the_parentheses_work()
    {
        var absolute = _folder.Write("abs.conf", "abs = 1");
        Assert.Equal(J("{'abs':1}"), Load($"include required( file( \"{absolute}\" ) )"));
    }

    [Fact]
    public void Include_cycles_are_errors_that_name_the_files()
    {
        _folder.Write("a.conf", "include \"b.conf\"");
        _folder.Write("b.conf", "include \"a.conf\"");
        var error = Assert.Throws<HoconParseException>(() => Load("include \"a.conf\""));
        Assert.EndsWith(
            $"include cycle: {_folder.Path}/main.conf -> {_folder.Path}/a.conf -> {_folder.Path}/b.conf -> {_folder.Path}/a.conf",
            error.Message,
            StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("include url(\"http://example.com/a.conf\")", "url() includes are not supported")]
    [InlineData("include \"https://example.com/a.conf\"", "url includes are not supported")]
    [InlineData("include classpath(\"a.conf\")", "classpath() includes are not supported")]
    public void Classpath_and_url_includes_are_not_supported(string text, string fragment)
    {
        var error = Assert.Throws<HoconParseException>(() => Load(text));
        Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
    }

    // Spec: "If an included file contains an array as the root value, it is invalid and an error should be generated."
    [Fact]
    public void An_included_array_is_an_error()
    {
        _folder.Write("list.json", "[1, 2]");
        var error = Assert.Throws<HoconParseException>(() => Load("include \"list.json\""));
        Assert.Contains("must contain an object", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Errors_in_an_included_file_carry_its_origin()
    {
        _folder.Write("sub/bad.conf", "a = 1\nb = [");
        var error = Assert.Throws<HoconParseException>(() => Load("include \"sub/bad.conf\""));
        Assert.StartsWith(Path.Combine(_folder.Path, "sub", "bad.conf") + ":2:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_string_includes_from_its_base_directory_and_falls_back_to_include_roots()
    {
        _folder.Write("base/x.conf", "x = 1");
        _folder.Write("lib/y.conf", "y = 2");
        var options = new HoconParseOptions { BaseDirectory = Path.Combine(_folder.Path, "base"), IncludeRoots = [Path.Combine(_folder.Path, "lib")] };
        Assert.Equal(J("{'x':1,'y':2}"), HoconParser.Parse("include \"x.conf\"\ninclude \"/y.conf\"", options).Resolve().ToJson());
    }

    // Spec, "Java properties mapping": "split each key on the . character, keeping any empty strings" and "The object
    // must always win".
    [Fact]
    public void Properties_split_keys_keep_strings_and_let_objects_win()
    {
        var options = new HoconParseOptions { Syntax = HoconSyntax.Properties };
        var text = "# comment\n! also\na=hello\na.b=world\nn = 42\nlong = one \\\n   two\nesc=tab\\there\\u0021\nx.:y\n";
        Assert.Equal(
            J("{'a':{'b':'world'},'n':'42','long':'one two','esc':'tab\\there!','x':{'':'y'}}"),
            HoconParser.Parse(text, options).Resolve().ToJson());
    }
}
