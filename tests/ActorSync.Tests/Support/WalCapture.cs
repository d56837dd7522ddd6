using Npgsql;

namespace ActorSync.Tests.Support;

/// <summary>
/// What the WAL capture tests (issue #20) need from their server: <c>wal_level = logical</c>. The containers of the tests
/// have it (<see cref="PostgresContainer"/>); a server named by <c>ACTORSYNC_TEST_PG</c> may not, and then every WAL test
/// fails with <see cref="RequireLogicalAsync"/>'s message rather than being skipped.
/// </summary>
public static class WalCapture
{
    /// <summary>Throws, saying what to change, unless the server of <paramref name="connectionString"/> decodes its WAL.</summary>
    public static async Task RequireLogicalAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT current_setting('wal_level')", connection);
        var level = (string)(await command.ExecuteScalarAsync())!;
        if (level != "logical")
        {
            throw new InvalidOperationException(
                $"The WAL capture tests need a server with wal_level = logical, and the server at {connection.Host}:{connection.Port} has wal_level = {level}" +
                $" ({(TestEnvironment.ExternalConnectionString is null ? "a test container" : TestEnvironment.ConnectionStringVariable)}): " +
                "run ALTER SYSTEM SET wal_level = logical; and restart it, or unset ACTORSYNC_TEST_PG to let the tests start their own.");
        }
    }

    /// <summary>A configuration whose database <c>src</c> captures from the WAL (with <paramref name="srcExtra"/> added to it).</summary>
    public static CliRun.ConfigText Config(string source, string target, IEnumerable<string> syncs, string srcExtra = "") =>
        CliRun.WriteConfig($$"""
            actorsync {
              databases {
                src { connection-string = {{ConfigFile.Quote(source)}}, capture-mode = wal{{srcExtra}} }
                tgt { connection-string = {{ConfigFile.Quote(target)}} }
              }
              defaults { poll-interval = 1s, backoff { min = 100ms, max = 2s } }
              admin { enabled = false }
              syncs = [
                {{string.Join("\n    ", syncs)}}
              ]
            }
            """);
}
