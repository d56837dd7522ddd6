using static ActorSync.Hocon.Tests.Support.HoconText;

namespace ActorSync.Hocon.Tests.Parsing;

public sealed class ParserTests
{
    // Spec, "Omit root braces": "if the file does not begin with a square bracket or curly brace, it is parsed as if it
    // were enclosed with {} curly braces."
    [Fact]
    public void Root_braces_may_be_omitted()
    {
        Assert.Equal(Json("{ a : 1 }"), Json("a : 1"));
    }

    // Spec, "Key-value separator": "If a key is followed by {, the : or = may be omitted."
    [Fact]
    public void Equals_replaces_the_colon_and_a_brace_needs_neither()
    {
        Assert.Equal(J("{'a':1,'b':{'c':2}}"), Json("a = 1\nb { c : 2 }"));
    }

    // Spec, "Commas": "Values in arrays, and fields in objects, need not have a comma between them as long as they have
    // at least one ASCII newline between them." and "The last element ... may be followed by a single comma."
    [Theory]
    [InlineData("[1,2,3,]")]
    [InlineData("[1\n2\n3]")]
    [InlineData("[1,\n2\n,3\n]")]
    public void Newlines_separate_like_commas_and_one_trailing_comma_is_ignored(string array)
    {
        Assert.Equal("{\"a\":[1,2,3]}", Json("a = " + array));
    }

    [Theory]
    [InlineData("a = [1,2,3,,]", "expected a value in the array, found ','")]
    [InlineData("a = [,1]", "expected a value or ']' in the array, found ','")]
    [InlineData("a = [1,,2]", "found ','")]
    [InlineData("a = 1,, b = 2", "expected a key")]
    [InlineData("a = [1 : 2]", "expected ',', a newline or ']'")]
    public void Doubled_leading_or_lone_commas_are_errors(string text, string fragment)
    {
        var error = Assert.Throws<HoconParseException>(() => HoconParser.Parse(text));
        Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
    }

    // Spec, "Duplicate keys and object merging": "duplicate keys that appear later override those that appear earlier,
    // unless both values are objects. If both values are objects, then the objects are merged."
    [Fact]
    public void Later_keys_override_and_objects_merge()
    {
        Assert.Equal(J("{'foo':{'a':42,'b':43},'x':2}"), Json("foo : { a : 42 }\nx = 1\nfoo : { b : 43 }\nx = 2"));
    }

    // Spec: "The intermediate setting of "foo" to null prevents the object merge."
    [Fact]
    public void A_non_object_between_two_objects_prevents_the_merge()
    {
        Assert.Equal(J("{'foo':{'b':43}}"), Json("foo : { a : 42 }, foo : null, foo : { b : 43 }"));
    }

    // Spec, "Paths as keys": "foo.bar.baz : 42 is equivalent to foo { bar { baz : 42 } }" and "a.x : 42, a.y : 43 is
    // equivalent to a { x : 42, y : 43 }".
    [Fact]
    public void Path_keys_expand_to_nested_objects_that_merge()
    {
        Assert.Equal(J("{'a':{'x':42,'y':43},'foo':{'bar':{'baz':42}}}"), Json("a.x : 42, a.y : 43\nfoo.bar.baz : 42"));
    }

    // Spec: "true : 42 is "true" : 42; 3 : 42 is "3" : 42; 3.14 : 42 is "3" : { "14" : 42 }" and "a b c : 42 is
    // equivalent to "a b c" : 42".
    [Theory]
    [InlineData("true : 42", "{'true':42}")]
    [InlineData("3 : 42", "{'3':42}")]
    [InlineData("3.14 : 42", "{'3':{'14':42}}")]
    [InlineData("a b  c : 42", "{'a b  c':42}")]
    [InlineData("foo.\"hello.world\" : 1", "{'foo':{'hello.world':1}}")]
    [InlineData("a.\"\".b : 1", "{'a':{'':{'b':1}}}")]
    [InlineData("10.0foo : 1", "{'10':{'0foo':1}}")]
    [InlineData("foo10.0 : 1", "{'foo10':{'0':1}}")]
    public void Keys_are_path_expressions_and_always_strings(string text, string expected)
    {
        Assert.Equal(J(expected), Json(text));
    }

    // Spec: "a..b is invalid and should generate an error. ... a path that starts or ends with a . is invalid".
    [Theory]
    [InlineData("a..b : 1")]
    [InlineData(".a : 1")]
    [InlineData("a. : 1")]
    public void Empty_unquoted_path_elements_are_errors(string text)
    {
        var error = Assert.Throws<HoconParseException>(() => HoconParser.Parse(text));
        Assert.Contains("empty key", error.Message, StringComparison.Ordinal);
    }

    // Spec, "String value concatenation": "the whitespace between them is preserved" and "Whitespace before the first and
    // after the last simple value must be discarded."; numbers "should be rendered as it was written in the file".
    [Fact]
    public void Simple_values_on_one_line_concatenate_into_a_string_keeping_inner_whitespace()
    {
        Assert.Equal(J("{'a':'null bar  1e5 true \\t x','b':'foo bar'}"), Json("a =   null bar  1e5 true \"\\t\" x   \nb = foo\" bar\""));
    }

    // Spec: "A single value is never converted to a string."
    [Fact]
    public void A_single_value_keeps_its_type()
    {
        Assert.Equal(J("{'a':true,'b':1e5,'c':null}"), Json("a = true, b = 1e5, c = null"));
    }

    // Spec, "Array and object concatenation": "a : { b : 1 } { c : 2 }" and "a : [ 1, 2 ] [ 3, 4 ]".
    [Fact]
    public void Arrays_and_objects_on_one_line_concatenate()
    {
        Assert.Equal(J("{'a':{'b':1,'c':2},'l':[1,2,3,4]}"), Json("a : { b : 1 } { c : 2 }\nl : [ 1, 2 ] [ 3, 4 ]"));
    }

    // Spec, "Note: Arrays without commas or newlines": "[ 1 2 3 4 ]" is "an array with one element, the string "1 2 3 4"".
    [Fact]
    public void Whitespace_is_never_an_element_separator()
    {
        Assert.Equal(J("{'a':['1 2 3 4'],'b':[[1,2,3,4]],'c':[[1,2],[3,4]]}"), Json("a = [ 1 2 3 4 ]\nb = [ [ 1, 2 ] [ 3, 4 ] ]\nc = [ [ 1, 2 ]\n [ 3, 4 ] ]"));
    }

    [Theory]
    [InlineData("a = [1] foo", "cannot concatenate an array")]
    [InlineData("a = { b : 1 } 2", "cannot concatenate an object")]
    [InlineData("a = { b : 1 } [2]", "cannot concatenate an object with an array")]
    public void Concatenating_containers_with_other_kinds_is_an_error(string text, string fragment)
    {
        var error = Assert.Throws<HoconParseException>(() => HoconParser.Parse(text));
        Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
    }

    // Spec, "Include syntax": "Unquoted include has no special meaning if it is not the start of a key's path expression."
    [Fact]
    public void Include_is_an_ordinary_word_away_from_the_start_of_a_key()
    {
        Assert.Equal(
            J("{'foo include':42,'foo':'include','include':1,'l':['include']}"),
            Json("foo include : 42\nfoo : include\n\"include\" : 1\nl = [ include ]"));
    }

    [Theory]
    [InlineData("{", "expected '}' to close the object opened at test.conf:1:1")]
    [InlineData("a = 1 }", "'}' without a matching '{'")]
    [InlineData("{ a = 1 } b", "expected the end of the document")]
    [InlineData("a", "expected ':', '=', '+=' or '{' after the key 'a', found the end of the input")]
    [InlineData("a\nb = 1", "after the key 'a', found 'b'")]
    [InlineData("a = ", "expected a value after '=', found the end of the input")]
    [InlineData("a = 1 b : 2", "expected ',' or a newline after a field")]
    [InlineData("${a} = 1", "substitutions are not allowed in keys")]
    [InlineData("include foo", "expected a quoted file name")]
    [InlineData("include file (\"x\")", "no space is allowed before '('")]
    [InlineData("include required(\"x\"", "expected ')'")]
    [InlineData("l = [ { a += 1 } ]", "'+=' cannot be used in an object inside an array")]
    public void Errors_name_the_origin_what_was_expected_and_what_was_found(string text, string fragment)
    {
        var error = Assert.Throws<HoconParseException>(() => HoconParser.Parse(text, new HoconParseOptions { Description = "test.conf" }));
        Assert.Matches(@"^test\.conf:\d+:\d+: ", error.Message);
        Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Errors_do_not_quote_the_contents_of_quoted_strings()
    {
        var error = Assert.Throws<HoconParseException>(() => HoconParser.Parse("password = \"hunter2\" \"s3cret\" : x"));
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_value_carries_its_origin()
    {
        var root = (HoconObject)Resolve("a {\n  b = [1,\n    \"x\"]\n}");
        var b = (HoconArray)((HoconObject)root["a"])["b"];
        Assert.Equal(new HoconOrigin("test.conf", 1, 3), root["a"].Origin);
        Assert.Equal(new HoconOrigin("test.conf", 2, 7), b.Origin);
        Assert.Equal(new HoconOrigin("test.conf", 3, 5), b[1].Origin);
        Assert.Equal("test.conf:3:5", b[1].Origin.ToString());
    }

    [Fact]
    public void An_array_root_parses_as_a_document_value()
    {
        var document = HoconParser.Parse("[ 1, ${?x} ]");
        Assert.True(document.IsArray);
        Assert.Equal("[1]", document.Resolve(HoconResolveOptions.WithoutEnvironment).ToJson());
        Assert.Throws<HoconParseException>(() => document.ResolveConfig());
    }

    [Fact]
    public void Json_syntax_refuses_hocon_extensions_but_merges_duplicates_like_hocon()
    {
        var options = new HoconParseOptions { Syntax = HoconSyntax.Json };
        Assert.Equal(J("{'a':{'b':1,'c':2}}"), HoconParser.Parse("{\"a\":{\"b\":1},\"a\":{\"c\":2}}", options).Resolve().ToJson());
        Assert.Throws<HoconParseException>(() => HoconParser.Parse("{\"a\":1,}", options));
        Assert.Throws<HoconParseException>(() => HoconParser.Parse("{\"a\":1\n\"b\":2}", options));
        Assert.Throws<HoconParseException>(() => HoconParser.Parse("\"a\":1", options));
        Assert.Throws<HoconParseException>(() => HoconParser.Parse("", options));
    }
}
