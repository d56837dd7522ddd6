using ActorSync.Actors;
using ActorSync.Tests.Support;
using Npgsql;

namespace ActorSync.Tests.Actors;

public sealed class SyncEngineTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>, IAsyncLifetime
{
    private NpgsqlDataSource _target = null!;
    private string _targetConnectionString = "";

    public async Task InitializeAsync()
    {
        _targetConnectionString = await SharedPostgresServer.GetConnectionStringAsync(await database.CreateDatabaseAsync("tgt"));
        _target = NpgsqlDataSource.Create(_targetConnectionString);
    }

    public async Task DisposeAsync() => await _target.DisposeAsync();

    [Fact]
    public async Task Existing_rows_and_later_changes_arrive_in_another_database_and_in_the_same_one()
    {
        await database.ExecuteAsync("""
            CREATE TABLE orders (id bigint PRIMARY KEY, customer text, total numeric);
            INSERT INTO orders SELECT g, 'c' || g, g * 1.5 FROM generate_series(1, 5000) g;
            CREATE TABLE orders_copy (id bigint PRIMARY KEY, customer text, total numeric);
            """);
        await EngineHarness.ExecuteAsync(_target, "CREATE TABLE orders (id bigint PRIMARY KEY, customer text, total numeric)");
        var syncs = new[]
        {
            SyncDriver.Define("orders_out", "src:public.orders", "tgt:public.orders"),
            SyncDriver.Define("Orders_Here", "src:public.orders", "src:public.orders_copy"),
        };
        await using var engine = EngineHarness.Start(Databases(), syncs);

        await EngineHarness.WaitForStateAsync(engine, "orders_out", SyncStates.Idle);
        await EngineHarness.WaitForStateAsync(engine, "Orders_Here", SyncStates.Idle);
        await AssertConvergedAsync();

        await database.ExecuteAsync("""
            INSERT INTO orders SELECT g, 'late', 1 FROM generate_series(5001, 5100) g;
            UPDATE orders SET total = total + 1 WHERE id % 10 = 0;
            DELETE FROM orders WHERE id % 7 = 0;
            UPDATE orders SET id = -id WHERE id BETWEEN 100 AND 120;
            """);
        await AssertConvergedAsync();
        await database.ExecuteAsync("TRUNCATE orders; INSERT INTO orders VALUES (1, 'only', 1)");
        await AssertConvergedAsync();

        var status = await engine.GetStatusAsync(TimeSpan.FromSeconds(5), default);
        Assert.Equal(["Orders_Here", "orders_out"], status.Syncs.Select(s => s.Name));
        Assert.All(status.Syncs, s => Assert.True(s.RowsApplied > 0 && s.BatchesApplied > 0 && s.Restarts == 0 && s.LastError is null));
        Assert.All(status.Listeners, l => Assert.True(l.Connected));
        Assert.Contains(status.Pools, p => p.Database == "tgt" && p.Role == "write" && p.Max == 8);
    }

    [Fact]
    public async Task While_changes_keep_coming_batch_delay_gathers_them_into_few_batches()
    {
        await database.ExecuteAsync("CREATE TABLE ticks (id int PRIMARY KEY, at timestamptz)");
        await EngineHarness.ExecuteAsync(_target, "CREATE TABLE ticks (id int PRIMARY KEY, at timestamptz)");
        var sync = SyncDriver.Define("ticks", "src:public.ticks", "tgt:public.ticks") with { BatchDelay = TimeSpan.FromSeconds(2) };
        await using var engine = EngineHarness.Start(Databases(), [sync]);
        await EngineHarness.WaitForStateAsync(engine, "ticks", SyncStates.Idle);

        // Thirty single-row transactions 20 ms apart: the first wakes the idle sync and is applied at once; the rest
        // arrive within the delay that follows it and go in one or two more batches.
        for (var i = 1; i <= 30; i++)
        {
            await database.ExecuteAsync($"INSERT INTO ticks VALUES ({i}, now())");
            await Task.Delay(20);
        }

        await EngineHarness.WaitForStateAsync(engine, "ticks", SyncStates.Idle);
        await TableFingerprint.AssertEqualAsync(database.DataSource, "ticks", _target, "ticks", "id");
        var status = (await engine.GetStatusAsync(TimeSpan.FromSeconds(5), default)).Syncs.Single();
        Assert.InRange(status.BatchesApplied, 2, 5);
    }

    [Fact]
    public async Task A_sync_whose_target_violates_a_constraint_fails_alone_and_converges_once_fixed()
    {
        await database.ExecuteAsync("""
            CREATE TABLE good (id int PRIMARY KEY, v text);
            CREATE TABLE bad (id int PRIMARY KEY, v text);
            """);
        await EngineHarness.ExecuteAsync(_target, """
            CREATE TABLE good (id int PRIMARY KEY, v text);
            CREATE TABLE bad (id int PRIMARY KEY, v text CHECK (v <> 'forbidden'));
            """);
        await using var engine = EngineHarness.Start(Databases(), [
            SyncDriver.Define("good", "src:public.good", "tgt:public.good"),
            SyncDriver.Define("bad", "src:public.bad", "tgt:public.bad"),
        ]);
        await EngineHarness.WaitForStateAsync(engine, "bad", SyncStates.Idle);

        await database.ExecuteAsync("INSERT INTO bad VALUES (1, 'forbidden'); INSERT INTO good VALUES (1, 'fine')");

        var failing = await EngineHarness.WaitForStateAsync(engine, "bad", SyncStates.Failing);
        Assert.Contains("23514", failing.LastError!.Message, StringComparison.Ordinal);
        await Eventually.AssertAsync(() => TableFingerprint.AssertEqualAsync(database.DataSource, "good", _target, "good", "id"));
        await database.ExecuteAsync("INSERT INTO good VALUES (2, 'still flowing')");
        await Eventually.AssertAsync(() => TableFingerprint.AssertEqualAsync(database.DataSource, "good", _target, "good", "id"));
        var stillFailing = await EngineHarness.WaitForStateAsync(engine, "bad", SyncStates.Failing);
        Assert.True(stillFailing.Restarts >= 1);

        await EngineHarness.ExecuteAsync(_target, "ALTER TABLE bad DROP CONSTRAINT bad_v_check");

        await Eventually.AssertAsync(() => TableFingerprint.AssertEqualAsync(database.DataSource, "bad", _target, "bad", "id"));
        var recovered = await EngineHarness.WaitForStateAsync(engine, "bad", SyncStates.Idle);
        Assert.Null(recovered.LastError);
    }

    private Dictionary<string, string> Databases() => new() { ["src"] = database.ConnectionString, ["tgt"] = _targetConnectionString };

    private async Task AssertConvergedAsync()
    {
        await Eventually.AssertAsync(() => TableFingerprint.AssertEqualAsync(database.DataSource, "orders", _target, "orders", "id"));
        await Eventually.AssertAsync(() => TableFingerprint.AssertEqualAsync(database.DataSource, "orders", database.DataSource, "orders_copy", "id"));
    }
}
