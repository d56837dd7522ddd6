namespace ActorSync.Hocon.Tests;

public sealed class HoconConfigTests
{
    private static readonly HoconConfig Config = HoconParser.LoadString(
        """
        a { b { c = 42, s = "57", t = yes, f = off } }
        timeout = 5s, millis = 250, size = 64MiB
        list = [1, two, true]
        indexed { "1" = b, "0" = a }
        nothing = null
        "dotted.key" = 1
        """,
        new HoconParseOptions { Description = "app.conf" },
        HoconResolveOptions.WithoutEnvironment);

    // Spec, "Automatic type conversions": "string to number: parse the number with the JSON rules", "string to boolean:
    // the strings "true", "yes", "on", "false", "no", "off"", "number to string".
    [Fact]
    public void Typed_getters_apply_the_spec_conversions()
    {
        Assert.Equal(42, Config.GetInt32("a.b.c"));
        Assert.Equal(57L, Config.GetInt64("a.b.s"));
        Assert.Equal("42", Config.GetString("a.b.c"));
        Assert.True(Config.GetBoolean("a.b.t"));
        Assert.False(Config.GetBoolean("a.b.f"));
        Assert.Equal(TimeSpan.FromSeconds(5), Config.GetDuration("timeout"));
        Assert.Equal(TimeSpan.FromMilliseconds(250), Config.GetDuration("millis"));
        Assert.Equal(64L * 1024 * 1024, Config.GetSizeInBytes("size"));
        Assert.Equal(["1", "two", "true"], Config.GetStringList("list"));
        Assert.Equal(["a", "b"], Config.GetStringList("indexed"));
        Assert.Equal(1, Config.GetInt32("\"dotted.key\""));
        Assert.Equal(42, Config.GetConfig("a.b").GetInt32("c"));
    }

    [Fact]
    public void Has_path_is_false_for_null_and_missing_values()
    {
        Assert.True(Config.HasPath("a.b"));
        Assert.False(Config.HasPath("nothing"));
        Assert.False(Config.HasPath("a.x"));
        Assert.True(Config.TryGetValue("nothing", out var value));
        Assert.IsType<HoconNull>(value);
    }

    [Theory]
    [InlineData("a.b.x", "app.conf:1:7: no value at 'a.b.x'")]
    [InlineData("timeout", "app.conf:2:11: timeout: expected a whole number in the 32-bit range, found the string '5s'")]
    public void Errors_start_with_the_origin(string path, string message)
    {
        var error = Assert.Throws<HoconValueException>(() => Config.GetInt32(path));
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void A_bad_duration_names_the_path_and_the_units()
    {
        var error = Assert.Throws<HoconValueException>(() => Config.GetDuration("list"));
        Assert.StartsWith("app.conf:3:8: list: expected a duration", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Paths_render_back_to_what_they_parse_from()
    {
        var path = HoconPath.Parse("a . \"b.c\".\"\".d-e");
        Assert.Equal(["a ", " b.c", "", "d-e"], path);
        Assert.Equal(path, HoconPath.Parse(path.ToString()));
    }

    [Fact]
    public void Json_rendering_escapes_and_keeps_numbers_as_written()
    {
        var config = HoconParser.LoadString("s = \"a\\\"b\\n\\u0001é\", n = 1.50e3, l = []");
        Assert.Equal("{\"s\":\"a\\\"b\\n\\u0001é\",\"n\":1.50e3,\"l\":[]}", config.ToJson());
        Assert.Equal("{\n  \"s\": \"a\\\"b\\n\\u0001é\",\n  \"n\": 1.50e3,\n  \"l\": []\n}", config.ToJson(indented: true));
    }
}
