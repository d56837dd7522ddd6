namespace ActorSync.Tests.Support;

public sealed class PostgresDatabaseFixtureTests
{
    [Fact]
    public async Task Two_fixtures_get_different_databases_that_do_not_see_each_other()
    {
        var first = new PostgresDatabaseFixture();
        var second = new PostgresDatabaseFixture();
        await first.InitializeAsync();
        await second.InitializeAsync();
        try
        {
            Assert.NotEqual(first.DatabaseName, second.DatabaseName);
            await first.ExecuteAsync("CREATE TABLE marker(v text); INSERT INTO marker VALUES ('first')");

            Assert.Equal(first.DatabaseName, await first.ScalarAsync<string>("SELECT current_database()"));
            Assert.Equal(second.DatabaseName, await second.ScalarAsync<string>("SELECT current_database()"));
            Assert.Null(await second.ScalarAsync<string>("SELECT to_regclass('marker')::text"));
        }
        finally
        {
            await first.DisposeAsync();
            await second.DisposeAsync();
        }

        var admin = await SharedPostgresServer.GetAdminConnectionStringAsync();
        await using var dataSource = Npgsql.NpgsqlDataSource.Create(admin);
        await using var command = dataSource.CreateCommand("SELECT count(*) FROM pg_database WHERE datname = ANY($1)");
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = new[] { first.DatabaseName, second.DatabaseName } });
        Assert.Equal(0L, (long)(await command.ExecuteScalarAsync())!);
    }
}

// Two classes that run in parallel and create the same table: were they given one database, one would fail.
public sealed class IsolationProbeA(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>
{
    [Fact]
    public async Task Class_owns_its_database() => await IsolationProbe.CheckAsync(database, "A");
}

public sealed class IsolationProbeB(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>
{
    [Fact]
    public async Task Class_owns_its_database() => await IsolationProbe.CheckAsync(database, "B");
}

internal static class IsolationProbe
{
    public static async Task CheckAsync(PostgresDatabaseFixture database, string owner)
    {
        await database.ExecuteAsync($"CREATE TABLE isolation_probe(owner text); INSERT INTO isolation_probe VALUES ('{owner}')");
        await Task.Delay(200);
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM isolation_probe"));
        Assert.Equal(owner, await database.ScalarAsync<string>("SELECT owner FROM isolation_probe"));
    }
}
