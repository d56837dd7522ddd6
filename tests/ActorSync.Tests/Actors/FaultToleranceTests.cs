using ActorSync.Actors;
using ActorSync.Postgres;
using ActorSync.Tests.Support;
using Npgsql;

namespace ActorSync.Tests.Actors;

/// <summary>Issue 5, "Durability and faults": each test ends with target equal to source (count plus ordered hash).</summary>
public sealed class FaultToleranceTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>
{
    [Theory]
    [InlineData("trigger")]
    [InlineData("wal")]
    public async Task Changes_made_while_ActorSync_is_stopped_are_applied_when_it_starts(string capture)
    {
        var variant = CaptureVariant.For(capture);
        await variant.RequireAsync(database.DataSource);
        var table = "stopped_" + capture;
        var (target, created) = await database.CreateTargetAsync(table);
        var databases = variant.Databases(created);
        var syncs = new[] { SyncDriver.Define(table, $"{variant.Source}:public.{table}", $"tgt:public.{table}") };
        try
        {
            await using (var engine = variant.Start(databases, syncs))
            {
                await EngineHarness.WaitForStateAsync(engine, table, SyncStates.Idle);
            }

            await database.ExecuteAsync($"""
                INSERT INTO {table} SELECT g, 'while away' FROM generate_series(1, 3000) g;
                DELETE FROM {table} WHERE id % 3 = 0;
                UPDATE {table} SET id = -id WHERE id BETWEEN 10 AND 20;
                """);

            await using (variant.Start(databases, syncs))
            {
                await Eventually.AssertAsync(() => TableFingerprint.AssertEqualAsync(database.DataSource, table, target, table, "id"));
            }
        }
        finally
        {
            await variant.CleanUpAsync(database.DataSource);
        }
    }

    [Theory]
    [InlineData("trigger")]
    [InlineData("wal")]
    public async Task Terminated_listener_and_replicator_connections_are_replaced_and_nothing_is_lost(string capture)
    {
        var variant = CaptureVariant.For(capture);
        await variant.RequireAsync(database.DataSource);
        string[] tables = ["victim_" + capture, "bystander_" + capture];
        var (target, created) = await database.CreateTargetAsync(tables);
        try
        {
            await using var engine = variant.Start(
                variant.Databases(created), tables.Select(t => SyncDriver.Define(t, $"{variant.Source}:public.{t}", $"tgt:public.{t}")));
            await EngineHarness.WaitForStateAsync(engine, tables[0], SyncStates.Idle);
            await EngineHarness.WaitForStateAsync(engine, tables[1], SyncStates.Idle);

            using var stop = new CancellationTokenSource();
            var writer = WriteContinuouslyAsync(tables, stop.Token);
            for (var round = 0; round < 5; round++)
            {
                await Task.Delay(300);
                await TerminateAsync(variant.ListenerApplicationName);
                await Task.Delay(300);
                await TerminateAsync("actorsync-read");
                await TerminateAsync("actorsync-write");
            }

            await stop.CancelAsync();
            await writer;

            foreach (var table in tables)
            {
                await Eventually.AssertAsync(() => TableFingerprint.AssertEqualAsync(database.DataSource, table, target, table, "id"));
            }

            var status = await engine.GetStatusAsync(TimeSpan.FromSeconds(5), default);
            Assert.True(status.Listeners.Single().Reconnects >= 1, "the listener reconnected");
            await database.ExecuteAsync($"INSERT INTO {tables[0]} VALUES (-1, 'after the storm')");
            await Eventually.AssertAsync(() => TableFingerprint.AssertEqualAsync(database.DataSource, tables[0], target, tables[0], "id"));
        }
        finally
        {
            await variant.CleanUpAsync(database.DataSource);
        }
    }

    [Theory]
    [InlineData("trigger")]
    [InlineData("wal")]
    public async Task A_postgres_server_restarted_under_load_is_recovered_from_without_operator_action(string capture)
    {
        // The server is this test's own: its slot (WAL mode) goes with the container.
        var variant = CaptureVariant.For(capture);
        await using var server = await PostgresContainer.StartAsync(fixedPort: true, purpose: "A test that restarts its server");
        var sourceCs = await server.CreateDatabaseAsync("src");
        var targetCs = await server.CreateDatabaseAsync("tgt");
        await using var source = NpgsqlDataSource.Create(sourceCs);
        await using var target = NpgsqlDataSource.Create(targetCs);
        await EngineHarness.ExecuteAsync(source, "CREATE TABLE t (id int PRIMARY KEY, v text)");
        await EngineHarness.ExecuteAsync(target, "CREATE TABLE t (id int PRIMARY KEY, v text)");
        await variant.RequireAsync(source);
        await using var engine = variant.Start(
            variant.Databases(new Dictionary<string, string> { ["src"] = sourceCs, ["tgt"] = targetCs }),
            [SyncDriver.Define("t", $"{variant.Source}:public.t", "tgt:public.t")]);
        await EngineHarness.WaitForStateAsync(engine, "t", SyncStates.Idle);

        using var stop = new CancellationTokenSource();
        var writes = Task.Run(async () =>
        {
            var id = 0;
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await EngineHarness.ExecuteAsync(source, $"INSERT INTO t VALUES ({id}, 'row {id}')");
                    id++;
                }
                catch (NpgsqlException)
                {
                    await Task.Delay(50); // the server is restarting: the writer retries, as an application would
                }
            }
        });
        await Task.Delay(500);
        await server.RestartAsync(PostgresShutdownMode.Fast);
        await Task.Delay(500);
        await server.RestartAsync(PostgresShutdownMode.Immediate);
        await Task.Delay(500);
        await stop.CancelAsync();
        await writes;
        NpgsqlConnection.ClearAllPools();

        await Eventually.AssertAsync(() => TableFingerprint.AssertEqualAsync(source, "t", target, "t", "id"), TimeSpan.FromSeconds(90));
        var status = await EngineHarness.WaitForStateAsync(engine, "t", SyncStates.Idle, TimeSpan.FromSeconds(60));
        Assert.True(status.RowsApplied > 0);
    }


    private Task WriteContinuouslyAsync(string[] tables, CancellationToken stop) => Task.Run(
        async () =>
    {
        var random = new Random(7);
        var n = 0;
        while (!stop.IsCancellationRequested || n < 100)
        {
            var table = tables[n % tables.Length];
            var id = random.Next(0, 500);
            await database.ExecuteAsync(n % 5 == 4
                ? $"DELETE FROM {table} WHERE id = {id}"
                : $"INSERT INTO {table} VALUES ({id}, 'v{n}') ON CONFLICT (id) DO UPDATE SET v = EXCLUDED.v");
            n++;
        }
    }, CancellationToken.None);

    private async Task TerminateAsync(string applicationName)
    {
        await using var command = database.DataSource.CreateCommand(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()");
        command.Parameters.Add(new NpgsqlParameter { Value = applicationName });
        await command.ExecuteScalarAsync();
    }
}
