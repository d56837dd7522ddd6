using ActorSync.Actors;
using ActorSync.Postgres;
using ActorSync.Tests.Support;
using Npgsql;

namespace ActorSync.Tests.Actors;

/// <summary>Issue 5, "Durability and faults": each test ends with target equal to source (count plus ordered hash).</summary>
public sealed class FaultToleranceTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>
{
    [Fact]
    public async Task Changes_made_while_ActorSync_is_stopped_are_applied_when_it_starts()
    {
        var (target, databases) = await database.CreateTargetAsync("stopped");
        var syncs = new[] { SyncDriver.Define("stopped", "src:public.stopped", "tgt:public.stopped") };
        await using (var engine = EngineHarness.Start(databases, syncs))
        {
            await EngineHarness.WaitForStateAsync(engine, "stopped", SyncStates.Idle);
        }

        await database.ExecuteAsync("""
            INSERT INTO stopped SELECT g, 'while away' FROM generate_series(1, 3000) g;
            DELETE FROM stopped WHERE id % 3 = 0;
            """);

        await using (EngineHarness.Start(databases, syncs))
        {
            await Eventually.AssertAsync(() => TableFingerprint.AssertEqualAsync(database.DataSource, "stopped", target, "stopped", "id"));
        }
    }

    [Fact]
    public async Task Terminated_listener_and_replicator_connections_are_replaced_and_nothing_is_lost()
    {
        var (target, databases) = await database.CreateTargetAsync("victim", "bystander");
        await using var engine = EngineHarness.Start(databases, [
            SyncDriver.Define("victim", "src:public.victim", "tgt:public.victim"),
            SyncDriver.Define("bystander", "src:public.bystander", "tgt:public.bystander"),
        ]);
        await EngineHarness.WaitForStateAsync(engine, "victim", SyncStates.Idle);

        using var stop = new CancellationTokenSource();
        var writer = WriteContinuouslyAsync(["victim", "bystander"], stop.Token);
        for (var round = 0; round < 5; round++)
        {
            await Task.Delay(300);
            await TerminateAsync("actorsync-listener");
            await Task.Delay(300);
            await TerminateAsync("actorsync-read");
            await TerminateAsync("actorsync-write");
        }

        await stop.CancelAsync();
        await writer;

        await Eventually.AssertAsync(() => TableFingerprint.AssertEqualAsync(database.DataSource, "victim", target, "victim", "id"));
        await Eventually.AssertAsync(() => TableFingerprint.AssertEqualAsync(database.DataSource, "bystander", target, "bystander", "id"));
        var status = await engine.GetStatusAsync(TimeSpan.FromSeconds(5), default);
        Assert.True(status.Listeners.Single().Reconnects >= 1, "the listener reconnected");
        await database.ExecuteAsync("INSERT INTO victim VALUES (-1, 'after the storm')");
        await Eventually.AssertAsync(() => TableFingerprint.AssertEqualAsync(database.DataSource, "victim", target, "victim", "id"));
    }

    [Fact]
    public async Task A_postgres_server_restarted_under_load_is_recovered_from_without_operator_action()
    {
        await using var server = await PostgresContainer.StartAsync(fixedPort: true, purpose: "A test that restarts its server");
        var sourceCs = await server.CreateDatabaseAsync("src");
        var targetCs = await server.CreateDatabaseAsync("tgt");
        await using var source = NpgsqlDataSource.Create(sourceCs);
        await using var target = NpgsqlDataSource.Create(targetCs);
        await EngineHarness.ExecuteAsync(source, "CREATE TABLE t (id int PRIMARY KEY, v text)");
        await EngineHarness.ExecuteAsync(target, "CREATE TABLE t (id int PRIMARY KEY, v text)");
        await using var engine = EngineHarness.Start(
            new Dictionary<string, string> { ["src"] = sourceCs, ["tgt"] = targetCs }, [SyncDriver.Define("t", "src:public.t", "tgt:public.t")]);
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
