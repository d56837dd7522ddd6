using ActorSync.Cli;
using ActorSync.Demo;
using ActorSync.Tests.Support;

namespace ActorSync.Tests.Docker;

/// <summary>config/docker.conf, the configuration docker compose mounts and <c>actorsync demo</c> runs (issue 8).</summary>
public sealed class DockerConfTests
{
    [Fact]
    public async Task Docker_conf_passes_config_check_with_the_variables_compose_sets()
    {
        var (exitCode, output) = await ConfigCheckAsync(new Dictionary<string, string> { ["ACTORSYNC_DB_PASSWORD"] = "from-compose" });

        Assert.True(exitCode == ExitCodes.Ok, output);
        Assert.Contains("shop: actorsync@postgres:5432/shop", output, StringComparison.Ordinal);
        Assert.Contains("reporting: actorsync@postgres:5432/reporting", output, StringComparison.Ordinal);
        Assert.Contains("syncs (4):", output, StringComparison.Ordinal);
        Assert.Contains("admin: http://0.0.0.0:8080 (no token)", output, StringComparison.Ordinal);
        Assert.DoesNotContain("from-compose", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_ACTORSYNC_ADMIN_TOKEN_set_the_commands_have_a_token()
    {
        var (exitCode, output) = await ConfigCheckAsync(new Dictionary<string, string>
        {
            ["ACTORSYNC_DB_PASSWORD"] = "from-compose",
            ["ACTORSYNC_ADMIN_TOKEN"] = "a-long-random-token",
        });

        Assert.True(exitCode == ExitCodes.Ok, output);
        Assert.Contains("admin: http://0.0.0.0:8080 (token set)", output, StringComparison.Ordinal);
        Assert.DoesNotContain("a-long-random-token", output, StringComparison.Ordinal);
    }

    [Fact]
    public void The_demo_runs_the_syncs_of_docker_conf_with_only_the_connections_and_the_admin_address_replaced()
    {
        var demo = DemoSetup.Configuration(new Dictionary<string, string>
        {
            ["shop"] = "Host=127.0.0.1;Port=5999;Database=shop;Username=postgres",
            ["reporting"] = "Host=127.0.0.1;Port=5999;Database=reporting;Username=postgres",
        });
        var docker = ActorSync.Configuration.ActorSyncConfiguration.Load(
            RepositoryFiles.PathOf("config/docker.conf"), new Dictionary<string, string?> { ["ACTORSYNC_DB_PASSWORD"] = "x" });

        static string Describe(ActorSync.Configuration.SyncDefinition s) =>
            $"{s.Name} {s.Source} -> {s.Target} [{string.Join(",", s.Columns ?? [])}] {s.Where} {s.CreateTarget} {s.BatchSize} {s.PollInterval}";
        Assert.Equal(docker.Syncs.Select(Describe), demo.Syncs.Select(Describe));
        Assert.Equal(4, demo.Syncs.Count);
        Assert.Equal("http://127.0.0.1:0", demo.Options.Admin.Url);
        Assert.Null(demo.Options.Admin.Token);
        Assert.All(demo.Options.Databases.Values, d => Assert.Contains("Host=127.0.0.1", d.ConnectionString, StringComparison.Ordinal));
    }

    private static async Task<(int ExitCode, string Output)> ConfigCheckAsync(Dictionary<string, string> environment)
    {
        // A child process, so the variables reach the configuration exactly as in the container.
        await using var process = ActorSyncProcess.Start(["config", "check", RepositoryFiles.PathOf("config/docker.conf")], environment);
        var exitCode = await process.WaitForExitAsync(TimeSpan.FromSeconds(60));
        return (exitCode, process.Output);
    }
}
