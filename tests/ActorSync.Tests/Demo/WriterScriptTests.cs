using ActorSync.Demo;
using ActorSync.Tests.Support;
using Npgsql;

namespace ActorSync.Tests.Demo;

/// <summary>The pgbench subset the demo's writer runs (db/demo/writer/*.sql, shared with the compose writer).</summary>
public sealed class WriterScriptTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>
{
    [Fact]
    public async Task Set_commands_substitutions_multi_line_commands_and_gset_run_as_pgbench_runs_them()
    {
        await database.ExecuteAsync("CREATE TABLE IF NOT EXISTS script_runs (id serial PRIMARY KEY, n int, label text, kind regtype)");
        var script = WriterScript.Parse("sample", """
            -- a comment
            \set n random(5, 5)
            \set fixed 7
            BEGIN;
            INSERT INTO script_runs (n, label, kind)
            VALUES (:n + :fixed, 'x:n stays', 'int4'::regtype) RETURNING id AS new_id \gset
            UPDATE script_runs SET n = n * 2 WHERE id = :new_id;
            END;
            """);

        await using (var connection = await database.DataSource.OpenConnectionAsync())
        {
            await script.RunAsync(connection, new Random(1), CancellationToken.None);
        }

        Assert.Equal(24, await database.ScalarAsync<int>("SELECT n FROM script_runs ORDER BY id DESC LIMIT 1"));
        Assert.Equal("x5 stays", await database.ScalarAsync<string>("SELECT label FROM script_runs ORDER BY id DESC LIMIT 1"));
    }

    [Fact]
    public void Syntax_it_does_not_run_is_refused_with_the_file_and_line()
    {
        var error = Assert.Throws<FormatException>(() => WriterScript.Parse("pause", "SELECT 1;\n\\sleep 10 ms\n"));

        Assert.StartsWith("db/demo/writer/pause.sql:2:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_demo_script_runs_on_the_demo_schema()
    {
        var shop = await database.CreateDatabaseAsync("shop");
        var connectionString = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Database = shop }.ConnectionString;
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using (var setup = dataSource.CreateCommand(DemoResources.Read("db/demo/shop.sql")))
        {
            await setup.ExecuteNonQueryAsync();
        }

        var random = new Random(8);
        foreach (var script in WriterScript.LoadEmbedded(DemoWriter.Mix.Select(m => m.Script)))
        {
            for (var i = 0; i < 3; i++)
            {
                await using var connection = await dataSource.OpenConnectionAsync();
                await script.RunAsync(connection, random, CancellationToken.None);
            }
        }

        await using var count = dataSource.CreateCommand("SELECT count(*) FROM orders WHERE note IS NOT NULL");
        Assert.Equal(1L, await count.ExecuteScalarAsync()); // large_row wrote its long note on the newest order
    }
}
