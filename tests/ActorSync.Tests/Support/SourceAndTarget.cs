using Npgsql;

namespace ActorSync.Tests.Support;

/// <summary>
/// The fixture's database as <c>src</c> and a new database on the same server as <c>tgt</c>, leased by those names:
/// the setup of tests that drive code which leases its own connections.
/// </summary>
public sealed class SourceAndTarget : IAsyncDisposable
{
    private SourceAndTarget(NpgsqlDataSource source, NpgsqlDataSource target)
    {
        Target = target;
        Leaser = new DataSourceLeaser(new Dictionary<string, NpgsqlDataSource> { ["src"] = source, ["tgt"] = target });
    }

    public NpgsqlDataSource Target { get; }

    public DataSourceLeaser Leaser { get; }

    public static async Task<SourceAndTarget> CreateAsync(PostgresDatabaseFixture database) =>
        new(database.DataSource, NpgsqlDataSource.Create(await SharedPostgresServer.GetConnectionStringAsync(await database.CreateDatabaseAsync("tgt"))));

    public ValueTask DisposeAsync() => Target.DisposeAsync();
}
