using static ActorSync.Hocon.Tests.Support.HoconText;

namespace ActorSync.Hocon.Tests;

/// <summary>
/// Objects past 32 fields find keys through a hash index; the resolver copies an object and replaces the values that
/// change, sharing that index. Both must behave like the small linear objects.
/// </summary>
public sealed class HoconObjectTests
{
    [Theory]
    [InlineData(5)]
    [InlineData(33)]
    [InlineData(300)]
    public void Large_objects_keep_order_merge_duplicates_and_find_every_key(int count)
    {
        var text = string.Join('\n', Enumerable.Range(0, count).Select(i => $"k{i} = {i}")) +
            "\nk0 = zero\nk1 { a = 1 }\nk1 { b = 2 }\n\"k.2\" = dotted\n";
        var root = (HoconObject)Resolve(text);
        Assert.Equal(count + 1, root.Count);
        Assert.Equal(Enumerable.Range(0, count).Select(i => $"k{i}").Append("k.2"), root.Keys);
        Assert.Equal("zero", root["k0"].ToString());
        Assert.Equal(J("{'a':1,'b':2}"), root["k1"].ToJson());
        Assert.Equal("dotted", root["k.2"].ToString());
        for (var i = 2; i < count; i++)
        {
            Assert.Equal(i.ToString(System.Globalization.CultureInfo.InvariantCulture), root[$"k{i}"].ToString());
        }

        Assert.False(root.ContainsKey("k"));
        Assert.False(root.ContainsKey($"k{count}"));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(40)]
    public void Resolving_replaces_substitutions_and_drops_undefined_optional_fields(int count)
    {
        var text = string.Join('\n', Enumerable.Range(0, count).Select(i => $"k{i} = {i}")) +
            "\nref = ${k1}\ngone = ${?nothing}\nnested { x = ${k2}, y = ${?nothing}, z = 1 }\n";
        var root = (HoconObject)Resolve(text);
        Assert.Equal("1", root["ref"].ToString());
        Assert.False(root.ContainsKey("gone"));
        Assert.Equal(J("{'x':2,'z':1}"), root["nested"].ToJson());
        Assert.Equal(count + 2, root.Count);
        Assert.Equal("ref", root.Keys.ElementAt(count));
        Assert.Equal("nested", root.Keys.Last());
    }

    [Fact]
    public void A_document_resolves_the_same_twice()
    {
        var text = string.Join('\n', Enumerable.Range(0, 40).Select(i => $"k{i} = {i}")) + "\nref = ${k1}\nenv = ${?HOME_FOR_TEST}\n";
        var document = HoconParser.Parse(text);
        var first = document.Resolve(new HoconResolveOptions { Environment = new Dictionary<string, string?> { ["HOME_FOR_TEST"] = "/a" } });
        var second = document.Resolve(HoconResolveOptions.WithoutEnvironment);
        Assert.Equal("/a", ((HoconObject)first)["env"].ToString());
        Assert.False(((HoconObject)second).ContainsKey("env"));
        Assert.Equal("1", ((HoconObject)second)["ref"].ToString());
    }

    // Simple values are made from the source the first time they are read; readers racing for one must all get the
    // same instance, with the right value.
    [Fact]
    public void Values_made_on_first_read_are_the_same_for_every_thread()
    {
        for (var round = 0; round < 20; round++)
        {
            var root = (HoconObject)Resolve("a = x\nb = 12\nc = [p, \"q r\", 3]\nd { e = true }\n");
            var seen = new HoconValue[8][];
            Parallel.For(0, seen.Length, thread =>
            {
                var c = (HoconArray)root["c"];
                seen[thread] = [root["a"], root["b"], c[0], c[1], c[2], ((HoconObject)root["d"])["e"]];
            });

            for (var thread = 1; thread < seen.Length; thread++)
            {
                Assert.Equal(seen[0], seen[thread], ReferenceEqualityComparer.Instance);
            }

            Assert.Equal(["x", "12", "p", "q r", "3", "true"], seen[0].Select(value => value.ToString()));
        }
    }
}
