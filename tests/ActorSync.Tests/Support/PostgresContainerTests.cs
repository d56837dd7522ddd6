using System.Text.Json;
using ActorSync.Postgres;
using ActorSync.Tests.Docker;
using Npgsql;

namespace ActorSync.Tests.Support;

/// <summary>The container the restart tests stand on: same port and same data after either shutdown, loopback only.</summary>
public sealed class PostgresContainerTests
{
    [Fact]
    public async Task A_container_with_a_fixed_port_comes_back_on_it_with_its_data_after_fast_and_immediate_shutdowns()
    {
        await using var server = await PostgresContainer.StartAsync(fixedPort: true, purpose: "The container fixture's own test");
        var port = server.Port;
        var connectionString = server.ConnectionString + ";Pooling=false";
        // The container runs with synchronous_commit off: these commits ask for it on, so no shutdown may lose them.
        await ExecuteAsync(connectionString, "SET synchronous_commit = on; CREATE TABLE kept (v text); INSERT INTO kept VALUES ('before')");

        await server.RestartAsync(PostgresShutdownMode.Fast);
        Assert.Equal(port, server.Port);
        await ExecuteAsync(connectionString, "SET synchronous_commit = on; INSERT INTO kept VALUES ('after fast')");
        await server.RestartAsync(PostgresShutdownMode.Immediate);
        Assert.Equal(port, server.Port);

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT string_agg(v, ',' ORDER BY v) FROM kept", connection);
        Assert.Equal("after fast,before", await command.ExecuteScalarAsync());
        await using var settings = new NpgsqlCommand("SELECT current_setting('wal_level') || ' ' || current_setting('fsync')", connection);
        Assert.Equal("logical off", await settings.ExecuteScalarAsync());
    }

    [Fact]
    public async Task The_server_is_published_on_127_0_0_1_only_and_its_container_and_volume_carry_the_runs_label()
    {
        await using var server = await PostgresContainer.StartAsync(purpose: "The container fixture's own test");

        // Asked for (the engine's default address would hide a binding asked without one) and bound.
        Assert.Equal(["127.0.0.1:"], await BindingsAsync(server, ".HostConfig.PortBindings"));
        Assert.Equal([$"127.0.0.1:{server.Port}"], await BindingsAsync(server, ".NetworkSettings.Ports"));

        // What .ci/run looks for at the end: nothing of the run may be left, and nothing else may be taken for it.
        var label = $"{{{{index .Config.Labels \"{TestEnvironment.RunLabel}\"}}}} {{{{range .Mounts}}}}{{{{.Type}}}}:{{{{.Name}}}} {{{{end}}}}";
        var (exitCode, output) = await RepositoryFiles.RunAsync("docker", ["container", "inspect", "--format", label, server.ContainerId]);
        Assert.True(exitCode == 0, output);
        var parts = output.Trim().Split(' ');
        Assert.Equal(TestEnvironment.RunId, parts[0]);
        var volume = Assert.Single(parts[1..]);
        Assert.StartsWith("volume:" + TestEnvironment.ResourcePrefix, volume, StringComparison.Ordinal);
        (exitCode, output) = await RepositoryFiles.RunAsync(
            "docker", ["volume", "inspect", "--format", $"{{{{index .Labels \"{TestEnvironment.RunLabel}\"}}}}", volume["volume:".Length..]]);
        Assert.True(exitCode == 0, output);
        Assert.Equal(TestEnvironment.RunId, output.Trim());
    }

    private static async Task<List<string>> BindingsAsync(PostgresContainer server, string field)
    {
        var (exitCode, output) = await RepositoryFiles.RunAsync("docker", ["container", "inspect", "--format", $"{{{{json {field}}}}}", server.ContainerId]);
        Assert.True(exitCode == 0, output);
        return JsonDocument.Parse(output).RootElement.EnumerateObject()
            .Where(p => p.Value.ValueKind == JsonValueKind.Array)
            .SelectMany(p => p.Value.EnumerateArray())
            .Select(b => $"{b.GetProperty("HostIp").GetString()}:{b.GetProperty("HostPort").GetString()}")
            .ToList();
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
