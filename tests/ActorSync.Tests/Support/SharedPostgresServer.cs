using Npgsql;

namespace ActorSync.Tests.Support;

/// <summary>
/// The one PostgreSQL server this test assembly shares: <c>ACTORSYNC_TEST_PG</c> (a connection string) when set,
/// otherwise a <see cref="PostgresContainer"/> of <c>ACTORSYNC_TEST_PG_IMAGE</c> (default <c>postgres:17</c>) started on
/// first use and removed when the test process exits (Testcontainers' reaper removes it even when the process is
/// killed). xunit 2 has no assembly fixture, hence a lazy singleton; every test class gets a database of its own on it
/// (<see cref="PostgresDatabaseFixture"/>). When neither Docker nor the variable is there, every test that needs the
/// server fails at once with the message saying what to install or set.
/// </summary>
public static class SharedPostgresServer
{
    private static readonly Lazy<Task<string>> Instance = new(StartAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The server's admin connection string (superuser, database <c>postgres</c> or the one configured).</summary>
    public static Task<string> GetAdminConnectionStringAsync() => Instance.Value;

    /// <summary>A connection string like the admin one but to another database.</summary>
    public static async Task<string> GetConnectionStringAsync(string database) =>
        new NpgsqlConnectionStringBuilder(await GetAdminConnectionStringAsync()) { Database = database, IncludeErrorDetail = true }.ConnectionString;

    private static async Task<string> StartAsync()
    {
        if (TestEnvironment.ExternalConnectionString is { } external)
        {
            return external;
        }

        var container = await PostgresContainer.StartAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => container.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return container.ConnectionString;
    }
}
