using ActorSync.Hocon.Tests.Support;
using Microsoft.Extensions.Configuration;

namespace ActorSync.Hocon.Tests;

public sealed class HoconConfigurationProviderTests : IDisposable
{
    private const string Text = """
        app {
          name = demo
          Retries = 3
          enabled = yes-please
          ratio = 0.5
          syncs = [
            { name = orders, tags = [a, b] }
            { name = customers }
          ]
          empty {}
          none = null
          timeout = ${?TIMEOUT}
        }
        """;

    private readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static IConfigurationRoot FromString(string text, IReadOnlyDictionary<string, string?>? environment = null) =>
        new ConfigurationBuilder()
            .AddHoconString(text, new HoconParseOptions { Description = "app.conf" }, new HoconResolveOptions { Environment = environment ?? new Dictionary<string, string?>() })
            .Build();

    [Fact]
    public void Objects_become_sections_and_arrays_indexed_keys()
    {
        var configuration = FromString(Text);
        Assert.Equal("demo", configuration["app:name"]);
        Assert.Equal("orders", configuration["app:syncs:0:name"]);
        Assert.Equal("b", configuration["app:syncs:0:tags:1"]);
        Assert.Equal("customers", configuration["app:syncs:1:name"]);
        Assert.Equal(["0", "1"], configuration.GetSection("app:syncs").GetChildren().Select(c => c.Key));
    }

    [Fact]
    public void Keys_are_case_insensitive_as_elsewhere_in_dotnet_configuration()
    {
        var configuration = FromString(Text);
        Assert.Equal("3", configuration["APP:retries"]);
        Assert.Equal("demo", configuration.GetSection("App")["NAME"]);
    }

    [Fact]
    public void Empty_sections_exist_and_null_values_are_null()
    {
        var configuration = FromString(Text);
        Assert.Contains(configuration.AsEnumerable(), pair => pair is { Key: "app:empty", Value: null });
        Assert.Null(configuration["app:none"]);
        Assert.DoesNotContain(configuration.AsEnumerable(), pair => pair.Key == "app:timeout");
    }

    [Fact]
    public void Options_binding_works()
    {
        var options = FromString(Text).GetSection("app").Get<AppOptions>()!;
        Assert.Equal("demo", options.Name);
        Assert.Equal(3, options.Retries);
        Assert.Equal(0.5, options.Ratio);
        Assert.Equal(["orders", "customers"], options.Syncs.Select(s => s.Name));
        Assert.Equal(["a", "b"], options.Syncs[0].Tags);
    }

    [Fact]
    public void Substitutions_fall_back_to_the_given_environment()
    {
        Assert.Equal("5s", FromString(Text, new Dictionary<string, string?> { ["TIMEOUT"] = "5s" })["app:timeout"]);
    }

    [Fact]
    public void Every_key_and_section_knows_its_origin()
    {
        var configuration = FromString(Text);
        Assert.True(configuration.TryGetHoconOrigin("app:syncs:1:name", out var origin));
        Assert.Equal("app.conf:8:14", origin.ToString());
        Assert.True(configuration.TryGetHoconOrigin("APP:SYNCS:1", out var section));
        Assert.Equal("app.conf:8:5", section.ToString());
        Assert.False(configuration.TryGetHoconOrigin("app:nothing", out _));
    }

    [Fact]
    public void A_later_non_hocon_provider_hides_the_origin_of_the_key_it_overrides()
    {
        var configuration = new ConfigurationBuilder()
            .AddHoconString("a = 1")
            .AddInMemoryCollection([new KeyValuePair<string, string?>("a", "2")])
            .Build();
        Assert.Equal("2", configuration["a"]);
        Assert.False(configuration.TryGetHoconOrigin("a", out _));
    }

    [Fact]
    public void A_file_is_read_with_its_includes_and_names_itself_as_given()
    {
        _folder.Write("conf/base.conf", "db { port = 5432 }");
        _folder.Write("conf/app.conf", "include \"base.conf\"\ndb.host = localhost");
        var configuration = new ConfigurationBuilder().SetBasePath(_folder.Path).AddHoconFile("conf/app.conf").Build();
        Assert.Equal("5432", configuration["db:port"]);
        Assert.True(configuration.TryGetHoconOrigin("db:port", out var origin));
        Assert.Equal("conf/base.conf:1:13", origin.ToString());
        Assert.True(configuration.TryGetHoconOrigin("db:host", out var host));
        Assert.Equal("conf/app.conf:2:11", host.ToString());
    }

    [Fact]
    public void Reload_reads_the_file_again()
    {
        var path = _folder.Write("app.conf", "v = 1");
        var configuration = new ConfigurationBuilder().AddHoconFile(path, optional: false, reloadOnChange: false).Build();
        File.WriteAllText(path, "v = 2");
        configuration.Reload();
        Assert.Equal("2", configuration["v"]);
    }

    [Fact]
    public void A_missing_optional_file_is_empty_and_a_missing_required_one_fails()
    {
        Assert.Empty(new ConfigurationBuilder().AddHoconFile(Path.Combine(_folder.Path, "none.conf"), optional: true).Build().AsEnumerable());
        Assert.Throws<FileNotFoundException>(() => new ConfigurationBuilder().AddHoconFile(Path.Combine(_folder.Path, "none.conf")).Build());
    }

    [Fact]
    public void A_bad_file_fails_with_the_hocon_error_inside()
    {
        var path = _folder.Write("bad.conf", "a = [");
        var error = Assert.Throws<InvalidDataException>(() => new ConfigurationBuilder().AddHoconFile(path).Build());
        var hocon = Assert.IsType<HoconParseException>(error.InnerException);
        Assert.StartsWith(path + ":1:6: expected ']'", hocon.Message, StringComparison.Ordinal);
    }

    private sealed class AppOptions
    {
        public string Name { get; set; } = "";

        public int Retries { get; set; }

        public double Ratio { get; set; }

        public List<SyncEntry> Syncs { get; set; } = [];
    }

    private sealed class SyncEntry
    {
        public string Name { get; set; } = "";

        public List<string> Tags { get; set; } = [];
    }
}
