using ActorSync.Demo;
using ActorSync.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace ActorSync.Tests.Docker;

/// <summary>
/// docker-compose.yml, read as YAML (issue 8), and <c>docker compose config</c> validating it as compose reads it. The
/// stack itself runs in <see cref="ComposeStackTests"/>.
/// </summary>
public sealed class ComposeFileTests
{
    private static readonly YamlMappingNode Compose = Load();

    private static YamlMappingNode Services => Map(Compose, "services");

    [Fact]
    public void The_services_are_postgres_actorsync_and_a_writer_under_the_demo_profile()
    {
        Assert.Equal(["postgres", "actorsync", "writer"], Services.Children.Keys.Select(k => k.ToString()));
        Assert.Equal(["demo"], Strings(Map(Services, "writer"), "profiles"));
        Assert.False(Map(Services, "postgres").Children.ContainsKey("profiles"), "postgres must start with a plain `docker compose up`");
        Assert.False(Map(Services, "actorsync").Children.ContainsKey("profiles"), "actorsync must start with a plain `docker compose up`");
    }

    [Fact]
    public void Postgres_is_the_official_image_with_a_named_volume_the_demo_init_and_a_pg_isready_healthcheck()
    {
        var postgres = Map(Services, "postgres");
        Assert.StartsWith("postgres:", Scalar(postgres, "image"), StringComparison.Ordinal);
        var volumes = Strings(postgres, "volumes");
        Assert.Contains("pgdata:/var/lib/postgresql/data", volumes);
        Assert.True(Map(Compose, "volumes").Children.ContainsKey("pgdata"), "the named volume pgdata must be declared under volumes:");
        Assert.Contains(volumes, v => v.StartsWith("./db/demo/init.sh:/docker-entrypoint-initdb.d/", StringComparison.Ordinal));
        Assert.Contains("pg_isready", Strings(Map(postgres, "healthcheck"), "test"));
        Assert.False(postgres.Children.ContainsKey("ports"), "the database is reachable from the compose network only");
    }

    [Fact]
    public void ActorSync_is_built_here_mounts_its_config_read_only_waits_for_a_healthy_database_and_restarts_unless_stopped()
    {
        var actorsync = Map(Services, "actorsync");
        Assert.Equal(".", Scalar(actorsync, "build"));
        Assert.Contains("./config/docker.conf:/etc/actorsync/actorsync.conf:ro", Strings(actorsync, "volumes"));
        Assert.Equal("service_healthy", Scalar(Map(Map(actorsync, "depends_on"), "postgres"), "condition"));
        Assert.Equal("unless-stopped", Scalar(actorsync, "restart"));
        Assert.Equal(["CMD", "actorsync", "health"], Strings(Map(actorsync, "healthcheck"), "test"));
        Assert.Equal("service_healthy", Scalar(Map(Map(Map(Services, "writer"), "depends_on"), "postgres"), "condition"));
    }

    [Fact]
    public void Every_published_port_is_bound_to_127_0_0_1()
    {
        var published = Services.Children
            .Where(s => ((YamlMappingNode)s.Value).Children.ContainsKey("ports"))
            .SelectMany(s => Strings((YamlMappingNode)s.Value, "ports"))
            .ToList();
        Assert.NotEmpty(published);
        Assert.All(published, port => Assert.StartsWith("127.0.0.1:", port, StringComparison.Ordinal));
        Assert.Contains("127.0.0.1:${ACTORSYNC_ADMIN_PORT:-8080}:8080", published);
    }

    [Fact]
    public void Passwords_and_the_token_come_from_the_environment()
    {
        foreach (var (name, service) in Services.Children.Select(s => (s.Key.ToString(), (YamlMappingNode)s.Value)))
        {
            foreach (var entry in service.Children.ContainsKey("environment") ? Strings(service, "environment") : [])
            {
                var (key, value) = entry.Contains('=', StringComparison.Ordinal) ? (entry[..entry.IndexOf('=', StringComparison.Ordinal)], entry[(entry.IndexOf('=', StringComparison.Ordinal) + 1)..]) : (entry, null);
                if (key.Contains("PASSWORD", StringComparison.Ordinal) || key.Contains("TOKEN", StringComparison.Ordinal))
                {
                    Assert.True(value is null || value.StartsWith("${", StringComparison.Ordinal), $"{name}: {key} must come from the environment, found '{entry}'");
                }
            }
        }

        // Passed through only when set: an empty token would fail config validation.
        Assert.Contains("ACTORSYNC_ADMIN_TOKEN", Strings(Map(Services, "actorsync"), "environment"));
    }

    [Fact]
    public void Every_file_it_mounts_exists()
    {
        var mounts = Services.Children.Values.Cast<YamlMappingNode>()
            .Where(s => s.Children.ContainsKey("volumes"))
            .SelectMany(s => Strings(s, "volumes"))
            .Select(v => v.Split(':')[0])
            .Where(source => source.StartsWith("./", StringComparison.Ordinal))
            .ToList();
        Assert.Equal(4, mounts.Count);
        Assert.All(mounts, source => Assert.True(
            File.Exists(RepositoryFiles.PathOf(source)) || Directory.Exists(RepositoryFiles.PathOf(source)), $"{source} does not exist"));

        // The image executes an executable init script and only sources any other (where `set -eu` would leak).
        if (!OperatingSystem.IsWindows())
        {
            Assert.True(File.GetUnixFileMode(RepositoryFiles.PathOf("db/demo/init.sh")).HasFlag(UnixFileMode.UserExecute), "db/demo/init.sh must be executable");
        }
    }

    [Fact]
    public void The_writer_runs_pgbench_with_the_scripts_and_weights_the_embedded_demo_runs()
    {
        var writer = Map(Services, "writer");
        Assert.StartsWith("postgres:", Scalar(writer, "image"), StringComparison.Ordinal);
        Assert.Equal(["pgbench"], Strings(writer, "entrypoint"));
        Assert.Equal("postgres", Scalar(writer, "user"));
        var scripts = WriterScripts().ToList();
        Assert.Equal(DemoWriter.Mix, scripts);
        Assert.All(scripts, s => Assert.True(File.Exists(RepositoryFiles.PathOf($"db/demo/writer/{s.Script}.sql")), $"{s.Script}.sql does not exist"));
        Assert.Contains("./db/demo/writer:/writer:ro", Strings(writer, "volumes"));
    }

    [Fact]
    public async Task Docker_compose_accepts_the_file()
    {
        Assert.True(
            RepositoryFiles.FindProgram("docker") is not null,
            TestEnvironment.NeedsDocker("Validating docker-compose.yml", "the docker program is not on PATH"));
        var (exitCode, output) = await RepositoryFiles.RunAsync("docker", ["compose", "--file", "docker-compose.yml", "config", "--quiet"]);
        Assert.True(exitCode == 0, output);

        (exitCode, output) = await RepositoryFiles.RunAsync("docker", ["compose", "--file", "docker-compose.yml", "--profile", "demo", "config", "--services"]);
        Assert.True(exitCode == 0, output);
        Assert.Equal(["actorsync", "postgres", "writer"], output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Order());
    }

    /// <summary>The <c>--file=/writer/NAME.sql@WEIGHT</c> arguments of the writer's command.</summary>
    public static IEnumerable<(string Script, int Weight)> WriterScripts() =>
        Strings(Map(Services, "writer"), "command")
            .Where(a => a.StartsWith("--file=/writer/", StringComparison.Ordinal))
            .Select(a => a["--file=/writer/".Length..].Split('@'))
            .Select(p => (Path.GetFileNameWithoutExtension(p[0]), int.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>The files and folders of this repository a service mounts: (path in the repository, path in the container, read-only).</summary>
    public static IEnumerable<(string Source, string Target, bool ReadOnly)> BindMounts(string service) =>
        Strings(Map(Services, service), "volumes")
            .Where(v => v.StartsWith("./", StringComparison.Ordinal))
            .Select(v => v.Split(':'))
            .Select(p => (p[0][2..], p[1], p.Length > 2 && p[2] == "ro"));

    /// <summary>The writer's pgbench arguments, as compose passes them.</summary>
    public static IReadOnlyList<string> WriterCommand() => Strings(Map(Services, "writer"), "command");

    private static YamlMappingNode Load()
    {
        var stream = new YamlStream();
        using var reader = new StringReader(RepositoryFiles.Read("docker-compose.yml"));
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static YamlMappingNode Map(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) && child is YamlMappingNode map
            ? map
            : throw new Xunit.Sdk.XunitException($"docker-compose.yml: '{key}' is missing or not a mapping");

    private static string Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) && child is YamlScalarNode { Value: { } value }
            ? value
            : throw new Xunit.Sdk.XunitException($"docker-compose.yml: '{key}' is missing or not a scalar");

    private static List<string> Strings(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) && child is YamlSequenceNode sequence
            ? sequence.Children.Select(c => ((YamlScalarNode)c).Value ?? "").ToList()
            : throw new Xunit.Sdk.XunitException($"docker-compose.yml: '{key}' is missing or not a list");
}
