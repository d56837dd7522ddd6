using ActorSync.Postgres;
using Npgsql;

namespace ActorSync.Tests.Support;

/// <summary>
/// The one PostgreSQL server this test assembly shares: <c>ACTORSYNC_TEST_PG</c> (a connection string) when set,
/// otherwise a <see cref="TemporaryPostgresServer"/> started on first use and stopped when the test process exits
/// (its watchdog stops it even when the process is killed). xunit 2 has no assembly fixture, hence a lazy singleton.
/// </summary>
public static class SharedPostgresServer
{
    public const string ConnectionStringVariable = "ACTORSYNC_TEST_PG";

    private static readonly Lazy<Task<Server>> Instance = new(StartAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The server's admin connection string (superuser, database <c>postgres</c> or the one configured).</summary>
    public static async Task<string> GetAdminConnectionStringAsync() => (await Instance.Value).AdminConnectionString;

    /// <summary>The temporary server, or null when the tests run against <c>ACTORSYNC_TEST_PG</c>.</summary>
    public static async Task<TemporaryPostgresServer?> GetTemporaryServerAsync() => (await Instance.Value).Temporary;

    /// <summary>A connection string like the admin one but to another database.</summary>
    public static async Task<string> GetConnectionStringAsync(string database) =>
        new NpgsqlConnectionStringBuilder(await GetAdminConnectionStringAsync()) { Database = database, IncludeErrorDetail = true }.ConnectionString;

    private static async Task<Server> StartAsync()
    {
        var external = Environment.GetEnvironmentVariable(ConnectionStringVariable);
        if (!string.IsNullOrWhiteSpace(external))
        {
            return new Server(external, null);
        }

        var server = await TemporaryPostgresServer.StartAsync(new TemporaryPostgresServerOptions { Fsync = false });
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Dispose();
        return new Server(server.ConnectionString, server);
    }

    private sealed record Server(string AdminConnectionString, TemporaryPostgresServer? Temporary);
}
