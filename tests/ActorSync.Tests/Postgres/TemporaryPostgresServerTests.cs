using System.Diagnostics;
using ActorSync.Postgres;
using Npgsql;

namespace ActorSync.Tests.Postgres;

/// <summary>
/// The demo's embedded server (<c>actorsync demo</c>): the product's own use of local server binaries. The tests
/// themselves run PostgreSQL in containers (Support/PostgresContainer).
/// </summary>
public sealed class TemporaryPostgresServerTests
{
    [Fact]
    public async Task Server_accepts_connections_with_the_test_settings()
    {
        await using var server = await TemporaryPostgresServer.StartAsync();
        await using var connection = new NpgsqlConnection(server.ConnectionString);
        await connection.OpenAsync();

        Assert.Equal("logical", await ShowAsync(connection, "wal_level"));
        Assert.Equal("on", await ShowAsync(connection, "fsync"));
        Assert.Equal("127.0.0.1", await ShowAsync(connection, "listen_addresses"));
        Assert.True(int.Parse(await ShowAsync(connection, "max_connections"), System.Globalization.CultureInfo.InvariantCulture) >= 100);
        Assert.StartsWith(Path.GetTempPath().TrimEnd('/'), server.RootDirectory, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fsync_is_off_only_when_asked()
    {
        await using var server = await TemporaryPostgresServer.StartAsync(new TemporaryPostgresServerOptions { Fsync = false });
        await using var connection = new NpgsqlConnection(server.ConnectionString);
        await connection.OpenAsync();

        Assert.Equal("off", await ShowAsync(connection, "fsync"));
    }

    [Fact]
    public async Task Server_is_gone_after_dispose()
    {
        var server = await TemporaryPostgresServer.StartAsync();
        var pid = server.ProcessId;
        var root = server.RootDirectory;
        var connectionString = server.ConnectionString + ";Pooling=false;Timeout=3";
        Assert.True(server.IsRunning);

        await server.DisposeAsync();

        Assert.False(ProcessExists(pid), $"postmaster {pid} still runs after dispose");
        Assert.False(Directory.Exists(root), $"{root} still exists after dispose");
        await using var connection = new NpgsqlConnection(connectionString);
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => connection.OpenAsync());
    }

    [Fact]
    public async Task A_second_server_runs_beside_the_first()
    {
        await using var first = await TemporaryPostgresServer.StartAsync();
        await using var second = await TemporaryPostgresServer.StartAsync();

        Assert.NotEqual(first.Port, second.Port);
        Assert.NotEqual(first.RootDirectory, second.RootDirectory);
        foreach (var server in new[] { first, second })
        {
            await using var connection = new NpgsqlConnection(server.ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT inet_server_port()", connection);
            Assert.Equal(server.Port, (int)(await command.ExecuteScalarAsync())!);
        }
    }

    [Fact]
    public async Task Server_and_folder_are_removed_when_the_owner_process_dies_without_disposing()
    {
        // Stands in for `dotnet test` killed by Ctrl+C or SIGKILL: the owner dies, nobody calls Dispose.
        using var owner = Process.Start(new ProcessStartInfo("sleep", "600") { UseShellExecute = false })!;
        var server = await TemporaryPostgresServer.StartAsync(new TemporaryPostgresServerOptions { OwnerProcessId = owner.Id });
        var pid = server.ProcessId;
        var root = server.RootDirectory;
        Assert.True(ProcessExists(pid));

        owner.Kill();
        await owner.WaitForExitAsync();

        var deadline = Stopwatch.StartNew();
        while ((ProcessExists(pid) || Directory.Exists(root)) && deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(100);
        }

        Assert.False(ProcessExists(pid), "the watchdog did not stop the orphaned server");
        Assert.False(Directory.Exists(root), "the watchdog did not delete the orphaned folder");
        await server.DisposeAsync();
    }

    [Fact]
    public void Missing_binaries_fail_with_one_sentence_saying_what_to_install()
    {
        var empty = Directory.CreateTempSubdirectory("actorsync-nobin-").FullName;
        try
        {
            var error = Assert.Throws<InvalidOperationException>(() => PostgresBinaries.Find([empty]));
            Assert.Contains("apt-get install -y postgresql", error.Message, StringComparison.Ordinal);
            Assert.Contains("ACTORSYNC_PG_BIN", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(empty);
        }
    }

    private static async Task<string> ShowAsync(NpgsqlConnection connection, string setting)
    {
        await using var command = new NpgsqlCommand($"SELECT current_setting('{setting}')", connection);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    private static bool ProcessExists(int pid)
    {
        var stat = $"/proc/{pid}/stat";
        return File.Exists(stat) && File.ReadAllText(stat).Split(") ")[^1][0] != 'Z';
    }
}
