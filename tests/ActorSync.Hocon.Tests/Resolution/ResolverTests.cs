using static ActorSync.Hocon.Tests.Support.HoconText;

namespace ActorSync.Hocon.Tests.Resolution;

public sealed class ResolverTests
{
    // Spec, "Substitutions": "Substitution processing is performed as the last parsing step, so a substitution can look
    // forward in the configuration." and "If the substitution is the only part of a value, then the type is preserved."
    [Fact]
    public void Substitutions_look_forward_and_keep_the_type()
    {
        Assert.Equal(J("{'a':{'x':1},'b':42,'c':'42 apples','d':42,'o':{'x':1}}"), Json("a = ${o}, b = ${d}, c = ${d}\" apples\", d = 42, o { x : 1 }"));
    }

    // Spec: "If a key has been specified more than once, the substitution will always evaluate to its latest-assigned
    // value".
    [Fact]
    public void A_substitution_sees_the_final_merged_value()
    {
        Assert.Equal(J("{'a':{'x':1,'y':2},'b':{'x':1,'y':2}}"), Json("a { x : 1 }\nb = ${a}\na { y : 2 }"));
    }

    // Spec, "Self-Referential Substitutions": "path : "a:b:c", path : ${path}":d"".
    [Fact]
    public void A_self_reference_looks_back_at_the_earlier_value()
    {
        Assert.Equal(J("{'path':'a:b:c:d:e'}"), Json("path : \"a:b:c\"\npath : ${path}\":d\"\npath = ${path}\":e\""));
    }

    // Spec: "path = [ /bin ], path = ${path} [ /usr/bin ]".
    [Fact]
    public void Array_self_reference_appends()
    {
        Assert.Equal(J("{'path':['/bin','/usr/bin']}"), Json("path = [ /bin ]\npath = ${path} [ /usr/bin ]"));
    }

    // Spec, "The += field separator": "a += b becomes a = ${?a} [b]" and "allows a += b to be the first mention of a".
    [Fact]
    public void Plus_equals_appends_and_may_come_first()
    {
        Assert.Equal(J("{'a':['x','y'],'o':{'l':[1,2]}}"), Json("a += x\na += y\no { l = [1] }\no.l += 2"));
    }

    [Fact]
    public void Plus_equals_on_a_non_array_is_an_error()
    {
        var error = Assert.Throws<HoconResolveException>(() => Resolve("a = 1\na += 2"));
        Assert.Contains("cannot concatenate an array", error.Message, StringComparison.Ordinal);
    }

    // Spec: "foo : ${foo} // an error" ... "foo : ${?foo} // this field just disappears silently".
    [Fact]
    public void A_self_reference_with_nothing_earlier_is_undefined()
    {
        var error = Assert.Throws<HoconResolveException>(() => Resolve("foo : ${foo}"));
        Assert.Equal("test.conf:1:7: could not resolve ${foo}: it refers to the field it defines, which has no earlier value to refer to", error.Message);
        Assert.Equal("{}", Json("foo : ${?foo}"));
    }

    // Spec: "It would be an error if these two fields were reversed, so first: foo : ${foo} and then second:
    // foo : { a : 1 }".
    [Fact]
    public void A_self_reference_before_the_value_exists_is_an_error()
    {
        Assert.Throws<HoconResolveException>(() => Resolve("foo : ${foo}\nfoo : { a : 1 }"));
        Assert.Equal(J("{'foo':{'a':1}}"), Json("foo : { a : 1 }\nfoo : ${foo}"));
    }

    // Spec: "foo : ${does-not-exist}, foo : 42 ... no matter what ${does-not-exist} resolves to, we know foo is 42".
    [Fact]
    public void A_hidden_substitution_is_never_evaluated()
    {
        Assert.Equal(J("{'foo':42}"), Json("foo : ${does-not-exist}\nfoo : 42"));
        Assert.Equal(J("{'foo':42}"), Json("foo : ${foo}, foo : 42"));
    }

    // Spec: "foo : { a : { c : 1 } }, foo : ${foo.a}, foo : { a : 2 } ... the final merge would be { a : 2, c : 1 }".
    [Fact]
    public void A_self_reference_in_a_path_looks_below_too()
    {
        Assert.Equal(J("{'foo':{'a':2,'c':1}}"), Json("foo : { a : { c : 1 } }\nfoo : ${foo.a}\nfoo : { a : 2 }"));
    }

    // Spec: "bar : { foo : 42, baz : ${bar.foo} }, bar : { foo : 43 }" makes "bar.baz ... 43".
    [Fact]
    public void An_object_may_refer_to_paths_within_itself()
    {
        Assert.Equal(J("{'bar':{'foo':43,'baz':43}}"), Json("bar : { foo : 42,\n baz : ${bar.foo}\n}\nbar : { foo : 43 }"));
    }

    // Spec: "Mutually-referring objects should also work ... bar.a should end up as 4 ... foo.c should end up as 3".
    [Fact]
    public void Mutually_referring_objects_look_forward()
    {
        Assert.Equal(
            J("{'bar':{'a':4,'b':3},'foo':{'c':3,'d':4}}"),
            Json("bar : { a : ${foo.d}, b : 1 }\nbar.b = 3\nfoo : { c : ${bar.b}, d : 2 }\nfoo.d = 4"));
    }

    // Spec: "a = ${?a}foo ... a should be foo not foofoo".
    [Fact]
    public void An_optional_self_reference_in_a_concatenation_is_empty()
    {
        Assert.Equal(J("{'a':'foo'}"), Json("a = ${?a}foo"));
    }

    // Spec: "bar : ${foo}, foo : ${bar}" is "not possible to resolve", nor is "a : ${b}, b : ${c}, c : ${a}".
    [Fact]
    public void Cycles_are_errors_that_name_the_chain()
    {
        var error = Assert.Throws<HoconResolveException>(() => Resolve("a : ${b}\nb : ${c}\nc : ${a}"));
        Assert.Equal(
            "test.conf:3:5: could not resolve ${a}: it is part of a cycle: ${b} (test.conf:1:5) -> ${c} (test.conf:2:5) -> ${a} (test.conf:3:5) -> ${b}",
            error.Message);
    }

    // Spec: "a : { b : ${a} }" and "a : [${a}]" are "unbreakable cycles that generate an error".
    [Theory]
    [InlineData("a : { b : ${a} }")]
    [InlineData("a : [${a}]")]
    [InlineData("a : [1], a : [${a}]")]
    public void A_value_containing_a_reference_to_itself_is_an_error(string text)
    {
        var error = Assert.Throws<HoconResolveException>(() => Resolve(text));
        Assert.Contains("a cycle that cannot be broken", error.Message, StringComparison.Ordinal);
    }

    // Spec: "Implementations must set both a and b to the same value in this case".
    [Fact]
    public void Order_dependent_cycles_still_give_both_fields_one_value()
    {
        var root = (HoconObject)Resolve("a : 1\nb : 2\na : ${b}\nb : ${a}");
        Assert.Equal(root["a"].ToString(), root["b"].ToString());
    }

    // Spec, "If a substitution with the ${?foo} syntax is undefined": the field is not created, an earlier value
    // remains, an array element is not added, and in a string concatenation it becomes an empty string.
    [Fact]
    public void Undefined_optional_substitutions_vanish()
    {
        Assert.Equal(
            J("{'b':'kept','l':[1,2],'s':'x  y'}"),
            Json("a = ${?nope}\nb = kept\nb = ${?nope}\nl = [1, ${?nope}, 2]\ns = x ${?nope} y\nt = ${?nope}${?nope2}"));
    }

    // Spec, "Substitution fallback to environment variables": "env variables set to the empty string are kept as such"
    // and "If a configuration sets a value to null then it should not be looked up in the external source."
    [Fact]
    public void Environment_variables_fill_in_what_the_document_does_not_define()
    {
        var environment = new Dictionary<string, string?> { ["HOME"] = "/root", ["EMPTY"] = "", ["SET"] = "env" };
        Assert.Equal(
            J("{'SET':null,'home':'/root','empty':'','set':null,'pass':'Password=/root'}"),
            Json("SET = null\nhome = ${HOME}\nempty = ${?EMPTY}\nset = ${SET}\npass = \"Password=\"${?HOME}", environment));
    }

    [Fact]
    public void Without_the_environment_an_unset_variable_names_the_path()
    {
        var error = Assert.Throws<HoconResolveException>(() => Resolve("a { b = ${x.y} }"));
        Assert.Equal("test.conf:1:9: could not resolve ${x.y}: no value at 'x.y'", error.Message);
        var withEnvironment = Assert.Throws<HoconResolveException>(() => Resolve("a = ${X}", new Dictionary<string, string?>()));
        Assert.Contains("and no environment variable X is set", withEnvironment.Message, StringComparison.Ordinal);
    }

    // Spec, "Note: Concatenation with whitespace and substitutions": "Unquoted whitespace must be ignored in between
    // substitutions which resolve to objects or lists. Quoted whitespace should be an error."
    [Fact]
    public void Whitespace_between_substitutions_of_objects_is_ignored_but_quoted_whitespace_is_an_error()
    {
        Assert.Equal(J("{'x':{'a':1},'y':{'b':2},'z':{'a':1,'b':2}}"), Json("x { a : 1 }\ny { b : 2 }\nz = ${x}  ${y}"));
        Assert.Throws<HoconResolveException>(() => Resolve("x { a : 1 }\ny { b : 2 }\nz = ${x}\" \"${y}"));
    }

    // Spec, "inheritance": "data-center-east = ${data-center-generic} { name = "east" }".
    [Fact]
    public void Object_concatenation_with_a_substitution_inherits()
    {
        Assert.Equal(
            J("{'generic':{'cluster-size':6},'east':{'cluster-size':6,'name':'east'}}"),
            Json("generic = { cluster-size = 6 }\neast = ${generic} { name = \"east\" }"));
    }

    // Spec, "Conversion of numerically-indexed objects to arrays": "the conversion should be done in a concatenation when
    // a list is expected and an object with numeric keys is found."
    [Fact]
    public void A_numerically_indexed_object_joins_an_array_concatenation()
    {
        Assert.Equal(J("{'o':{'2':'c','0':'a','x':'ignored'},'l':['z','a','c']}"), Json("o { \"2\" : c, \"0\" : a, x : ignored }\nl = [z] ${o}"));
    }

    [Fact]
    public void Interpolating_an_object_into_a_string_is_an_error()
    {
        var error = Assert.Throws<HoconResolveException>(() => Resolve("a { c : 2 }\nb = y${a}z"));
        Assert.StartsWith("test.conf:2:5: cannot concatenate an object (from test.conf:1:3)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolved_values_take_the_origin_of_their_definition_and_environment_values_that_of_the_substitution()
    {
        var root = (HoconObject)Resolve("a = 1\nb = ${a}\nc = ${E}", new Dictionary<string, string?> { ["E"] = "x" });
        Assert.Equal(new HoconOrigin("test.conf", 1, 5), root["b"].Origin);
        Assert.Equal(new HoconOrigin("test.conf", 3, 5), root["c"].Origin);
    }
}
