using ActorSync.Capture;
using ActorSync.Tests.Support;
using Npgsql;

namespace ActorSync.Tests.Capture;

public sealed class CaptureInstallerTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>
{
    [Fact]
    public async Task Installing_twice_changes_nothing_and_switching_mode_removes_the_old_triggers()
    {
        var driver = await SetUpAsync("twice", CaptureMode.Row);
        var before = await TriggersAsync("twice_src");

        await CaptureInstaller.InstallCaptureAsync(await OpenAsync(), driver.Plan, CaptureMode.Row, default);
        Assert.Equal(before, await TriggersAsync("twice_src"));
        Assert.Equal(["actorsync_twice_capture", "actorsync_twice_truncate", "actorsync_twice_wake"], before);

        await CaptureInstaller.InstallCaptureAsync(await OpenAsync(), driver.Plan, CaptureMode.Statement, default);
        Assert.Equal(
            ["actorsync_twice_del", "actorsync_twice_ins", "actorsync_twice_truncate", "actorsync_twice_upd", "actorsync_twice_wake"],
            await TriggersAsync("twice_src"));
    }

    [Theory]
    [InlineData(CaptureMode.Row)]
    [InlineData(CaptureMode.Statement)]
    public async Task Each_change_records_the_source_transaction_that_made_it(CaptureMode mode)
    {
        var name = "xid_" + mode.ToString().ToLowerInvariant();
        var driver = await SetUpAsync(name, mode);

        await using var writer = await OpenAsync();
        await using (var transaction = await writer.BeginTransactionAsync())
        {
            await using var write = new NpgsqlCommand(
                $"INSERT INTO {name}_src VALUES (1, 'a'), (2, 'b'); UPDATE {name}_src SET id = 3 WHERE id = 0", writer, transaction);
            await write.ExecuteNonQueryAsync();
            await transaction.CommitAsync();
        }

        await database.ExecuteAsync($"DELETE FROM {name}_src WHERE id = 1");

        var transactions = await database.ScalarAsync<long>(
            $"SELECT count(DISTINCT actorsync_xid) FROM {driver.Plan.DeltaTable} WHERE id IN (0, 2, 3)");
        var all = await database.ScalarAsync<long>($"SELECT count(DISTINCT actorsync_xid) FROM {driver.Plan.DeltaTable}");
        var missing = await database.ScalarAsync<long>($"SELECT count(*) FROM {driver.Plan.DeltaTable} WHERE actorsync_xid IS NULL");
        Assert.Equal(1L, transactions);
        Assert.Equal(2L, all);
        Assert.Equal(0L, missing);
    }

    [Fact]
    public async Task A_delta_made_before_transactions_were_recorded_gains_the_column_on_install_and_keeps_its_changes()
    {
        var driver = await SetUpAsync("xid_upgrade", CaptureMode.Row);
        await database.ExecuteAsync($"ALTER TABLE {driver.Plan.DeltaTable} DROP COLUMN actorsync_xid; INSERT INTO xid_upgrade_src VALUES (1, 'old')");

        await CaptureInstaller.InstallCaptureAsync(await OpenAsync(), driver.Plan, CaptureMode.Row, default);
        await database.ExecuteAsync("INSERT INTO xid_upgrade_src VALUES (2, 'new')");

        Assert.Equal(1L, await database.ScalarAsync<long>($"SELECT count(*) FROM {driver.Plan.DeltaTable} WHERE id = 1 AND actorsync_xid IS NULL"));
        Assert.Equal(1L, await database.ScalarAsync<long>($"SELECT count(*) FROM {driver.Plan.DeltaTable} WHERE id = 2 AND actorsync_xid IS NOT NULL"));
        await driver.DrainAsync();
        await TableFingerprint.AssertEqualAsync(database.DataSource, "xid_upgrade_src", database.DataSource, "xid_upgrade_tgt", "id");
    }

    [Fact]
    public async Task Uninstall_removes_all_of_it_and_nothing_else()
    {
        await database.ExecuteAsync("CREATE TABLE keep_me (id int PRIMARY KEY); CREATE FUNCTION keep_fn() RETURNS int LANGUAGE sql AS 'SELECT 1'");
        var driver = await SetUpAsync("gone", CaptureMode.Auto);
        await database.ExecuteAsync("INSERT INTO gone_src VALUES (1, 'pending change')");
        Assert.Equal("actorsync.dead_letters", await database.ScalarAsync<string>("SELECT to_regclass('actorsync.dead_letters')::text"));

        await using (var connection = await OpenAsync())
        {
            await CaptureInstaller.UninstallAsync(connection, default);
            await CaptureInstaller.UninstallAsync(connection, default);
        }

        Assert.Null(await database.ScalarAsync<string>("SELECT to_regnamespace('actorsync')::text"));
        Assert.Empty(await TriggersAsync("gone_src"));
        Assert.Equal(2L, await database.ScalarAsync<long>("SELECT count(*) FROM gone_src"));
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM gone_tgt"));
        Assert.Equal("keep_me", await database.ScalarAsync<string>("SELECT to_regclass('keep_me')::text"));
        Assert.Equal(1, await database.ScalarAsync<int>("SELECT keep_fn()"));
        _ = driver;
    }

    [Fact]
    public async Task Uninstall_refuses_to_drop_what_depends_on_it_and_removes_nothing()
    {
        await SetUpAsync("dep", CaptureMode.Row);
        await database.ExecuteAsync("CREATE VIEW my_view_over_delta AS SELECT * FROM actorsync.delta_dep");

        await using var connection = await OpenAsync();
        var error = await Assert.ThrowsAsync<PostgresException>(() => CaptureInstaller.UninstallAsync(connection, default));

        Assert.Contains("my_view_over_delta", error.Detail ?? error.MessageText, StringComparison.Ordinal);
        Assert.NotEmpty(await TriggersAsync("dep_src"));
        await database.ExecuteAsync("DROP VIEW my_view_over_delta");
    }

    [Fact]
    public async Task Writers_notify_only_while_the_wake_up_lock_is_held()
    {
        var driver = await SetUpAsync("wake", CaptureMode.Row);
        await using var listener = await OpenAsync();
        var received = new List<string>();
        listener.Notification += (_, e) => received.Add(e.Payload);
        await using (var listen = new NpgsqlCommand("LISTEN actorsync", listener))
        {
            await listen.ExecuteNonQueryAsync();
        }

        await database.ExecuteAsync("INSERT INTO wake_src VALUES (1, 'nobody waits')");
        await PingAsync(listener);
        Assert.Empty(received);

        await using (var arm = new NpgsqlCommand("SELECT pg_try_advisory_lock($1, $2)", listener))
        {
            arm.Parameters.Add(new NpgsqlParameter<int> { TypedValue = CaptureScript.LockClass });
            arm.Parameters.Add(new NpgsqlParameter<int> { TypedValue = CaptureScript.LockKey("wake") });
            Assert.True((bool)(await arm.ExecuteScalarAsync())!);
        }

        await database.ExecuteAsync("INSERT INTO wake_src VALUES (2, 'replicator waits')");
        await PingAsync(listener);
        Assert.Equal(["wake"], received);
        _ = driver;
    }

    [Fact]
    public async Task A_writer_in_flight_keeps_the_replicator_from_arming_until_it_commits()
    {
        await SetUpAsync("inflight", CaptureMode.Row);
        await using var writer = await OpenAsync();
        await using var transaction = await writer.BeginTransactionAsync();
        await using (var insert = new NpgsqlCommand("INSERT INTO inflight_src VALUES (1, 'in flight')", writer, transaction))
        {
            await insert.ExecuteNonQueryAsync();
        }

        await using var listener = await OpenAsync();
        Assert.False(await TryArmAsync(listener, "inflight"));
        await transaction.CommitAsync();
        Assert.True(await TryArmAsync(listener, "inflight"));
    }

    [Fact]
    public async Task The_printed_script_quotes_every_name_and_is_what_runs()
    {
        var driver = await SetUpAsync("script", CaptureMode.Row);

        var statements = CaptureScript.ForSync(driver.Plan, CaptureMode.Row);

        Assert.All(statements, s => Assert.DoesNotContain("{{", s, StringComparison.Ordinal));
        Assert.Contains(statements, s => s.Contains("CREATE TABLE IF NOT EXISTS \"actorsync\".\"delta_script\"", StringComparison.Ordinal));
        Assert.Contains(statements, s => s.Contains("ON \"public\".\"script_src\"", StringComparison.Ordinal));
    }

    private async Task<SyncDriver> SetUpAsync(string name, CaptureMode mode)
    {
        await database.ExecuteAsync($"CREATE TABLE {name}_src (id int PRIMARY KEY, v text); CREATE TABLE {name}_tgt (id int PRIMARY KEY, v text)");
        var driver = await SyncDriver.InstallAsync(
            SyncDriver.Define(name, $"db:public.{name}_src", $"db:public.{name}_tgt"), database.DataSource, database.DataSource, mode);
        await database.ExecuteAsync($"INSERT INTO {name}_src VALUES (0, 'seed')");
        await driver.DrainAsync();
        return driver;
    }

    private async Task<NpgsqlConnection> OpenAsync() => await database.DataSource.OpenConnectionAsync();

    private async Task<List<string>> TriggersAsync(string table)
    {
        var names = new List<string>();
        await using var command = database.DataSource.CreateCommand(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = to_regclass($1) AND NOT tgisinternal ORDER BY tgname");
        command.Parameters.Add(new NpgsqlParameter { Value = table });
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }

    private static async Task<bool> TryArmAsync(NpgsqlConnection connection, string sync)
    {
        await using var arm = new NpgsqlCommand("SELECT pg_try_advisory_lock($1, $2)", connection);
        arm.Parameters.Add(new NpgsqlParameter<int> { TypedValue = CaptureScript.LockClass });
        arm.Parameters.Add(new NpgsqlParameter<int> { TypedValue = CaptureScript.LockKey(sync) });
        return (bool)(await arm.ExecuteScalarAsync())!;
    }

    private static async Task PingAsync(NpgsqlConnection connection)
    {
        // Notifications are read with the next message from the server.
        await using var ping = new NpgsqlCommand("SELECT 1", connection);
        await ping.ExecuteScalarAsync();
    }
}
