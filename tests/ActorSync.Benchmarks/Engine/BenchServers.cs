using ActorSync.Postgres;
using Npgsql;

namespace ActorSync.Benchmarks.Engine;

/// <summary>
/// A source and a target server, each a fresh throwaway cluster, with the settings of the peers' harness
/// (shared/bench/peers/lib/common.sh): shared_buffers 512MB, max_wal_size 4GB, checkpoint_timeout 15min, fsync and
/// synchronous_commit on. Two servers, so ActorSync moves data between servers as the peers do.
/// </summary>
public sealed class BenchServers : IAsyncDisposable
{
    private BenchServers(TemporaryPostgresServer source, TemporaryPostgresServer target)
    {
        Source = source;
        Target = target;
    }

    public TemporaryPostgresServer Source { get; }

    public TemporaryPostgresServer Target { get; }

    public string SourceDb => Source.GetConnectionString("bench");

    public string TargetDb => Target.GetConnectionString("bench");

    public static async Task<BenchServers> StartAsync()
    {
        var settings = new Dictionary<string, string>
        {
            ["shared_buffers"] = "512MB",
            ["max_wal_size"] = "4GB",
            ["checkpoint_timeout"] = "15min",
            ["timezone"] = "'UTC'",
            // Every mode runs on a server that can decode its WAL (capture-mode = wal, issue #20), so trigger and WAL
            // capture are compared on the same WAL volume.
            ["wal_level"] = "logical",
        };
        var source = await TemporaryPostgresServer.StartAsync(new TemporaryPostgresServerOptions { Settings = settings });
        var target = await TemporaryPostgresServer.StartAsync(new TemporaryPostgresServerOptions { Settings = settings });
        await source.CreateDatabaseAsync("bench");
        await target.CreateDatabaseAsync("bench");
        return new BenchServers(source, target);
    }

    public static async Task ExecuteAsync(string connectionString, string sql, int timeoutSeconds = 0)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = timeoutSeconds };
        await command.ExecuteNonQueryAsync();
    }

    public static async Task<T> ScalarAsync<T>(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await Source.DisposeAsync();
        await Target.DisposeAsync();
    }
}
