using ActorSync.Actors;
using ActorSync.Configuration;
using ActorSync.State;
using ActorSync.Tests.Support;
using Npgsql;

namespace ActorSync.Tests.Actors;

/// <summary>
/// Consistent groups in the running engine (issue #19): orders and their lines applied in one target transaction per
/// batch, with and without the foreign key on the target. Each test ends with the target equal to the source.
/// </summary>
public sealed class GroupEngineTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>
{
    // Each order records how many lines its transaction wrote, so a reader can tell a half-applied transaction.
    private const string Schema = """
        CREATE TABLE {0}orders (id int PRIMARY KEY, lines int NOT NULL, note text);
        CREATE TABLE {0}order_lines (order_id int NOT NULL {1}, line int, item text, PRIMARY KEY (order_id, line));
        """;

    [Fact]
    public async Task Orders_and_lines_written_and_deleted_together_under_load_apply_without_a_foreign_key_error()
    {
        var (target, databases) = await TargetAsync("fk_", withForeignKey: true);
        await using var engine = EngineHarness.Start(databases, Syncs("fk_", group: null));
        await WaitIdleAsync(engine, "fk_");

        await RunLoadAsync("fk_", writers: 3, transactions: 150, firstId: 1);
        await AssertConvergedAsync(target, "fk_");

        // One group, found from the foreign key: not one batch failed on it.
        var status = await engine.GetStatusAsync(TimeSpan.FromSeconds(5), default);
        Assert.All(status.Syncs.Where(s => s.Name.StartsWith("fk_", StringComparison.Ordinal)), s => Assert.Equal(0, s.Restarts));

        // A replicated TRUNCATE of the referenced parent (and its children): no TRUNCATE of the target, keys valid.
        await database.ExecuteAsync("TRUNCATE fk_orders, fk_order_lines; INSERT INTO fk_orders VALUES (1, 1, 'again'); INSERT INTO fk_order_lines VALUES (1, 1, 'y')");
        await AssertConvergedAsync(target, "fk_");
    }

    [Fact]
    public async Task A_reader_of_an_explicit_group_without_foreign_key_never_sees_a_transaction_in_part()
    {
        var (target, databases) = await TargetAsync("nofk_", withForeignKey: false);
        // A batch-size below one transaction's rows: every batch closes over whole transactions.
        await using var engine = EngineHarness.Start(databases, Syncs("nofk_", group: "shop", batchSize: 2));
        await WaitIdleAsync(engine, "nofk_");

        using var stop = new CancellationTokenSource();
        var reads = 0;
        var violations = new List<string>();
        var reader = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await using var command = target.CreateCommand("""
                    SELECT (SELECT count(*) FROM nofk_order_lines l WHERE NOT EXISTS (SELECT FROM nofk_orders o WHERE o.id = l.order_id)),
                           (SELECT count(*) FROM nofk_orders o WHERE o.lines <> (SELECT count(*) FROM nofk_order_lines l WHERE l.order_id = o.id))
                    """);
                await using var result = await command.ExecuteReaderAsync();
                await result.ReadAsync();
                var (orphans, incomplete) = (result.GetInt64(0), result.GetInt64(1));
                if (orphans + incomplete > 0)
                {
                    violations.Add($"{orphans} line(s) without their order, {incomplete} order(s) without the lines of their transaction");
                }

                reads++;
                await Task.Delay(10);
            }
        });

        await RunLoadAsync("nofk_", writers: 3, transactions: 120, firstId: 1);
        await AssertConvergedAsync(target, "nofk_");
        await stop.CancelAsync();
        await reader;

        Assert.True(reads > 20, $"the reader looked only {reads} times");
        Assert.Empty(violations);
    }

    [Fact]
    public async Task The_first_copy_and_a_resync_of_a_referenced_parent_keep_its_children_valid()
    {
        var (target, databases) = await TargetAsync("copy_", withForeignKey: true);
        await database.ExecuteAsync("""
            INSERT INTO copy_orders SELECT g, 2, 'n' FROM generate_series(1, 400) g;
            INSERT INTO copy_order_lines SELECT o, l, 'item' FROM generate_series(1, 400) o, generate_series(1, 2) l;
            """);
        await using var engine = EngineHarness.Start(databases, Syncs("copy_", group: null));
        await WaitIdleAsync(engine, "copy_");
        await AssertConvergedAsync(target, "copy_");

        // The source lost an order (and its lines) and changed another while the sync was paused; resync the parent.
        await engine.CommandAsync("copy_orders", PauseRequested.Instance, TimeSpan.FromSeconds(5), default);
        await EngineHarness.WaitForStateAsync(engine, "copy_order_lines", SyncStates.Paused);
        var held = (await engine.GetStatusAsync(TimeSpan.FromSeconds(5), default)).Syncs.Single(s => s.Name == "copy_order_lines");
        Assert.Equal("group copy_orders is paused by copy_orders", held.Reason);
        await database.ExecuteAsync("BEGIN; DELETE FROM copy_order_lines WHERE order_id = 7; DELETE FROM copy_orders WHERE id = 7; UPDATE copy_orders SET note = 'changed' WHERE id = 8; COMMIT");
        Assert.Equal(2L, await ScalarAsync(target, "SELECT count(*) FROM copy_order_lines WHERE order_id = 7"));

        await engine.CommandAsync("copy_orders", ResumeRequested.Instance, TimeSpan.FromSeconds(5), default);
        await engine.CommandAsync("copy_orders", ResyncRequested.Instance, TimeSpan.FromSeconds(5), default);
        await AssertConvergedAsync(target, "copy_");
        await WaitIdleAsync(engine, "copy_");
        Assert.Equal(0L, await ScalarAsync(target, "SELECT count(*) FROM copy_orders WHERE id = 7"));
    }

    [Fact]
    public async Task A_table_that_fails_fails_its_group_and_nothing_of_the_batch_applies_until_the_target_is_fixed()
    {
        var (target, databases) = await TargetAsync("fail_", withForeignKey: true);
        await EngineHarness.ExecuteAsync(target, "ALTER TABLE fail_order_lines ADD CONSTRAINT no_bad CHECK (item <> 'bad')");
        await using var engine = EngineHarness.Start(databases, Syncs("fail_", group: null));
        await WaitIdleAsync(engine, "fail_");

        await database.ExecuteAsync("BEGIN; INSERT INTO fail_orders VALUES (1, 1, 'n'); INSERT INTO fail_order_lines VALUES (1, 1, 'bad'); COMMIT");
        foreach (var sync in new[] { "fail_orders", "fail_order_lines" })
        {
            var failing = await EngineHarness.WaitForStateAsync(engine, sync, SyncStates.Failing);
            Assert.Contains("target table tgt:public.fail_order_lines", failing.LastError!.Message, StringComparison.Ordinal);
        }

        Assert.Equal(0L, await ScalarAsync(target, "SELECT count(*) FROM fail_orders"));

        await EngineHarness.ExecuteAsync(target, "ALTER TABLE fail_order_lines DROP CONSTRAINT no_bad");
        await AssertConvergedAsync(target, "fail_");
        await WaitIdleAsync(engine, "fail_");
    }

    [Fact]
    public async Task A_poison_row_is_dead_lettered_with_its_order_while_the_rest_flows_then_retried_after_the_fix()
    {
        var (target, databases) = await TargetAsync("dl_", withForeignKey: true);
        await EngineHarness.ExecuteAsync(target, "ALTER TABLE dl_order_lines ADD CONSTRAINT no_bad CHECK (item <> 'bad')");
        var syncs = Syncs("dl_", group: null).Select(s => s with { OnApplyError = OnApplyError.DeadLetter }).ToArray();
        await using var engine = EngineHarness.Start(databases, syncs);
        await WaitIdleAsync(engine, "dl_");

        await database.ExecuteAsync("""
            BEGIN; INSERT INTO dl_orders VALUES (10, 2, 'poisoned'); INSERT INTO dl_order_lines VALUES (10, 1, 'ok'), (10, 2, 'bad'); COMMIT;
            BEGIN; INSERT INTO dl_orders VALUES (11, 1, 'fine'); INSERT INTO dl_order_lines VALUES (11, 1, 'ok'); COMMIT;
            """);
        await Eventually.AssertAsync(async () => Assert.Equal(1L, await ScalarAsync(target, "SELECT count(*) FROM dl_order_lines WHERE order_id = 11")));
        await Eventually.AssertAsync(async () =>
        {
            await using var connection = await target.OpenConnectionAsync();
            var lines = await DeadLetterStore.ListAsync(connection, "dl_order_lines", null, default);
            var orders = await DeadLetterStore.ListAsync(connection, "dl_orders", null, default);
            var culprit = Assert.Single(lines, l => l.Key.Contains("\"line\": 2", StringComparison.Ordinal));
            Assert.Contains("no_bad", culprit.Error, StringComparison.Ordinal);
            var order = Assert.Single(orders);
            Assert.Contains("dead-lettered with key", order.Error, StringComparison.Ordinal);
            Assert.Contains("dl_order_lines", order.Error, StringComparison.Ordinal);
            Assert.Equal(2, lines.Count);
        });
        Assert.Equal(0L, await ScalarAsync(target, "SELECT count(*) FROM dl_orders WHERE id = 10"));

        await EngineHarness.ExecuteAsync(target, "ALTER TABLE dl_order_lines DROP CONSTRAINT no_bad");
        foreach (var sync in new[] { "dl_orders", "dl_order_lines" })
        {
            var answer = await engine.AskSyncAsync<DeadLettersAnswered>(
                sync, new DeadLettersRequested(DeadLetterAction.Retry, null), TimeSpan.FromSeconds(10), default);
            Assert.Null(answer!.Error);
            await Eventually.AssertAsync(async () =>
            {
                await using var connection = await target.OpenConnectionAsync();
                Assert.Empty(await DeadLetterStore.ListAsync(connection, sync, null, default));
            });
        }

        await AssertConvergedAsync(target, "dl_");
    }

    [Fact]
    public async Task A_cycle_of_deferrable_foreign_keys_applies_rows_that_reference_each_other()
    {
        const string Tables = """
            CREATE TABLE cyc_a (id int PRIMARY KEY, b_id int);
            CREATE TABLE cyc_b (id int PRIMARY KEY, a_id int);
            """;
        const string Keys = """
            ALTER TABLE cyc_a ADD CONSTRAINT a_b FOREIGN KEY (b_id) REFERENCES cyc_b DEFERRABLE;
            ALTER TABLE cyc_b ADD CONSTRAINT b_a FOREIGN KEY (a_id) REFERENCES cyc_a DEFERRABLE;
            """;
        var targetName = await database.CreateDatabaseAsync("tgt");
        var targetConnection = await SharedPostgresServer.GetConnectionStringAsync(targetName);
        await using var target = NpgsqlDataSource.Create(targetConnection);
        await database.ExecuteAsync(Tables + Keys);
        await EngineHarness.ExecuteAsync(target, Tables + Keys);
        var syncs = new[]
        {
            SyncDriver.Define("cyc_a", "src:public.cyc_a", "tgt:public.cyc_a"),
            SyncDriver.Define("cyc_b", "src:public.cyc_b", "tgt:public.cyc_b"),
        };
        await using var engine = EngineHarness.Start(
            new Dictionary<string, string> { ["src"] = database.ConnectionString, ["tgt"] = targetConnection }, syncs);
        await EngineHarness.WaitForStateAsync(engine, "cyc_a", SyncStates.Idle);
        await EngineHarness.WaitForStateAsync(engine, "cyc_b", SyncStates.Idle);

        await database.ExecuteAsync("""
            BEGIN; SET CONSTRAINTS ALL DEFERRED;
            INSERT INTO cyc_a SELECT g, g FROM generate_series(1, 50) g; INSERT INTO cyc_b SELECT g, g FROM generate_series(1, 50) g;
            COMMIT;
            BEGIN; SET CONSTRAINTS ALL DEFERRED; DELETE FROM cyc_a WHERE id <= 10; DELETE FROM cyc_b WHERE id <= 10; COMMIT;
            """);
        await Eventually.AssertAsync(async () =>
        {
            await TableFingerprint.AssertEqualAsync(database.DataSource, "cyc_a", target, "cyc_a", "id");
            await TableFingerprint.AssertEqualAsync(database.DataSource, "cyc_b", target, "cyc_b", "id");
        });
        var status = await engine.GetStatusAsync(TimeSpan.FromSeconds(5), default);
        Assert.All(status.Syncs, s => Assert.Equal(0, s.Restarts));
    }

    [Fact]
    public async Task A_group_whose_source_and_target_share_a_database_applies_in_one_transaction()
    {
        await database.ExecuteAsync(string.Format(null, Schema, "same_", "") + string.Format(null, Schema, "same_copy_", "REFERENCES same_copy_orders (id)"));
        var syncs = new[]
        {
            SyncDriver.Define("same_order_lines", "db:public.same_order_lines", "db:public.same_copy_order_lines"),
            SyncDriver.Define("same_orders", "db:public.same_orders", "db:public.same_copy_orders"),
        };
        await using var engine = EngineHarness.Start(new Dictionary<string, string> { ["db"] = database.ConnectionString }, syncs);
        await WaitIdleAsync(engine, "same_");

        await RunLoadAsync("same_", writers: 2, transactions: 60, firstId: 1);
        await database.ExecuteAsync("TRUNCATE same_orders, same_order_lines; INSERT INTO same_orders VALUES (1, 1, 'again'); INSERT INTO same_order_lines VALUES (1, 1, 'y')");
        await Eventually.AssertAsync(async () =>
        {
            await TableFingerprint.AssertEqualAsync(database.DataSource, "same_orders", database.DataSource, "same_copy_orders", "id");
            await TableFingerprint.AssertEqualAsync(database.DataSource, "same_order_lines", database.DataSource, "same_copy_order_lines", "order_id, line");
        });
        var status = await engine.GetStatusAsync(TimeSpan.FromSeconds(5), default);
        Assert.All(status.Syncs, s => Assert.Equal(0, s.Restarts));
    }

    private async Task<(NpgsqlDataSource Target, Dictionary<string, string> Databases)> TargetAsync(string prefix, bool withForeignKey)
    {
        var targetConnection = await SharedPostgresServer.GetConnectionStringAsync(await database.CreateDatabaseAsync("tgt"));
        var target = NpgsqlDataSource.Create(targetConnection);
        await database.ExecuteAsync(string.Format(null, Schema, prefix, ""));
        await EngineHarness.ExecuteAsync(target, string.Format(null, Schema, prefix, withForeignKey ? $"REFERENCES {prefix}orders (id)" : ""));
        return (target, new Dictionary<string, string> { ["src"] = database.ConnectionString, ["tgt"] = targetConnection });
    }

    private static SyncDefinition[] Syncs(string prefix, string? group, int batchSize = 1000) =>
    [
        // Children first in the configuration: the group puts the parent first.
        SyncDriver.Define(prefix + "order_lines", $"src:public.{prefix}order_lines", $"tgt:public.{prefix}order_lines", batchSize: batchSize) with { Group = group },
        SyncDriver.Define(prefix + "orders", $"src:public.{prefix}orders", $"tgt:public.{prefix}orders", batchSize: batchSize) with { Group = group },
    ];

    /// <summary>
    /// Concurrent writers: each transaction creates an order with its lines, replaces the lines of an order (and its
    /// count), or deletes an order with its lines.
    /// </summary>
    private async Task RunLoadAsync(string prefix, int writers, int transactions, int firstId)
    {
        await Task.WhenAll(Enumerable.Range(0, writers).Select(async writer =>
        {
            var random = new Random(writer);
            await using var connection = await database.DataSource.OpenConnectionAsync();
            for (var i = 0; i < transactions; i++)
            {
                var id = firstId + (writer * transactions) + i;
                var lines = random.Next(1, 5);
                var sql = $"""
                    BEGIN;
                    INSERT INTO {prefix}orders VALUES ({id}, {lines}, 'new');
                    INSERT INTO {prefix}order_lines SELECT {id}, g, 'item' FROM generate_series(1, {lines}) g;
                    COMMIT;
                    """;
                if (i > 2 && random.Next(3) == 0)
                {
                    var old = id - 2;
                    sql += random.Next(2) == 0
                        ? $"BEGIN; DELETE FROM {prefix}order_lines WHERE order_id = {old}; DELETE FROM {prefix}orders WHERE id = {old}; COMMIT;"
                        : $"""
                          BEGIN; DELETE FROM {prefix}order_lines WHERE order_id = {old};
                          UPDATE {prefix}orders SET lines = 3, note = 'changed' WHERE id = {old};
                          INSERT INTO {prefix}order_lines SELECT {old}, g, 'again' FROM generate_series(1, 3) g WHERE EXISTS (SELECT FROM {prefix}orders WHERE id = {old});
                          COMMIT;
                          """;
                }

                await using var command = new NpgsqlCommand(sql, connection);
                await command.ExecuteNonQueryAsync();
            }
        }));
    }

    private static async Task WaitIdleAsync(SyncEngine engine, string prefix)
    {
        try
        {
            await EngineHarness.WaitForStateAsync(engine, prefix + "orders", SyncStates.Idle);
            await EngineHarness.WaitForStateAsync(engine, prefix + "order_lines", SyncStates.Idle);
        }
        catch (Xunit.Sdk.XunitException)
        {
            var status = await engine.GetStatusAsync(TimeSpan.FromSeconds(5), default);
            throw new Xunit.Sdk.XunitException(
                "not idle: " + string.Join("; ", status.Syncs.Select(s => $"{s.Name} {s.State} {s.LastError?.Message}")));
        }
    }

    private async Task AssertConvergedAsync(NpgsqlDataSource target, string prefix) =>
        await Eventually.AssertAsync(async () =>
        {
            await TableFingerprint.AssertEqualAsync(database.DataSource, prefix + "orders", target, prefix + "orders", "id");
            await TableFingerprint.AssertEqualAsync(database.DataSource, prefix + "order_lines", target, prefix + "order_lines", "order_id, line");
        });

    private static async Task<long> ScalarAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
