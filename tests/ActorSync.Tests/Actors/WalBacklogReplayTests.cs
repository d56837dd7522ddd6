using System.Security.Cryptography;
using ActorSync.Actors;
using ActorSync.Capture;
using ActorSync.Configuration;
using ActorSync.Tests.Support;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace ActorSync.Tests.Actors;

/// <summary>
/// WAL capture's backlog overflow (issue #20): a sync that cannot apply keeps its decoded keys in memory up to
/// <c>databases.NAME.wal-backlog-keys</c>; past it they are dropped, the slot stays held where it was before them, and
/// once the sync can apply again the stream is replayed from the slot. In WalCaptureEngineTests' style: the engine
/// in-process, a database of this class's own on the shared server (the slot is a server-wide object), target equal
/// to source at the end.
/// </summary>
public sealed class WalBacklogReplayTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>, IAsyncLifetime
{
    private readonly string _src = "w" + Convert.ToHexString(RandomNumberGenerator.GetBytes(5)).ToLowerInvariant();
    private NpgsqlDataSource _target = null!;
    private string _targetConnectionString = "";

    public async Task InitializeAsync()
    {
        _targetConnectionString = await SharedPostgresServer.GetConnectionStringAsync(await database.CreateDatabaseAsync("tgt"));
        _target = NpgsqlDataSource.Create(_targetConnectionString);
        await WalTestSupport.RequireLogicalWalAsync(database.DataSource);
    }

    public async Task DisposeAsync()
    {
        await WalTestSupport.DropSlotAsync(database.DataSource, _src);
        await _target.DisposeAsync();
    }

    [Fact]
    public async Task A_paused_sync_past_wal_backlog_keys_drops_its_keys_holds_the_slot_and_is_replayed_from_it_on_resume()
    {
        await database.ExecuteAsync("""
            CREATE TABLE items (id bigint PRIMARY KEY, v text, n int);
            INSERT INTO items SELECT g, 'start ' || g, 0 FROM generate_series(1, 2000) g;
            """);
        await EngineHarness.ExecuteAsync(_target, "CREATE TABLE items (id bigint PRIMARY KEY, v text, n int)");
        var logs = new LogCollector();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Information));
        EngineState? state = null;
        await using var engine = EngineHarness.Start(
            new Dictionary<string, string> { [_src] = database.ConnectionString, ["tgt"] = _targetConnectionString },
            [SyncDriver.Define("replay", $"{_src}:public.items", "tgt:public.items")],
            CaptureMode.Wal,
            loggerFactory,
            options =>
            {
                options.Databases[_src].CaptureMode = DatabaseCaptureMode.Wal;
                options.Databases[_src].WalBacklogKeys = 1000;
            },
            inspect: s => state = s);
        var backlog = state!.SyncHealth("replay").WalBacklog;
        Assert.Equal(1000, backlog.MaxKeys); // databases.NAME.wal-backlog-keys reached the sync's backlog
        await EngineHarness.WaitForStateAsync(engine, "replay", SyncStates.Idle);
        await TableFingerprint.AssertEqualAsync(database.DataSource, "items", _target, "items", "id");

        Assert.Equal(SyncStates.Paused, (await engine.CommandAsync("replay", PauseRequested.Instance, TimeSpan.FromSeconds(5), default))!.State);
        await EngineHarness.WaitForStateAsync(engine, "replay", SyncStates.Paused);

        // The first unapplied change: the slot must never confirm past it while the sync is paused.
        var firstChange = await FirstChangeAsync("UPDATE items SET n = n + 1, v = 'first' WHERE id BETWEEN 1 AND 10");
        for (var i = 1; i < 30; i++)
        {
            // Small transactions: 290 more distinct keys.
            await database.ExecuteAsync($"UPDATE items SET n = n + 1, v = 'small {i}' WHERE id BETWEEN {(i * 10) + 1} AND {(i * 10) + 10}");
        }

        // One transaction of 1,100 keys: inserts, updates, deletes and key changes (old and new key each).
        await database.ExecuteAsync("""
            BEGIN;
            INSERT INTO items SELECT g, 'new ' || g, 1 FROM generate_series(2001, 2600) g;
            UPDATE items SET n = n + 5 WHERE id BETWEEN 301 AND 500;
            DELETE FROM items WHERE id BETWEEN 501 AND 700;
            UPDATE items SET id = id + 10000, v = 'moved' WHERE id BETWEEN 701 AND 750;
            COMMIT;
            """);
        await Eventually.AssertAsync(() =>
        {
            Assert.True(backlog.Overflowed, $"backlog of {backlog.Count} keys did not overflow");
            return Task.CompletedTask;
        });
        Assert.Equal(0, backlog.Count); // dropped, not kept
        Assert.True(backlog.Held);

        // Changes after the overflow are dropped as they arrive: only the replay brings them.
        await database.ExecuteAsync("UPDATE items SET v = 'after overflow' WHERE id BETWEEN 800 AND 850; DELETE FROM items WHERE id BETWEEN 2001 AND 2010");
        var afterWrites = await database.ScalarAsync<string>("SELECT pg_current_wal_lsn()::text");

        Assert.True(await ConfirmedAtOrBeforeAsync(firstChange), $"the slot confirmed {await ConfirmedAsync()}, past the paused sync's first change at {firstChange}");
        await Task.Delay(TimeSpan.FromSeconds(3)); // keep-alives come and go: the slot stays held
        Assert.True(await ConfirmedAtOrBeforeAsync(firstChange), $"the slot confirmed {await ConfirmedAsync()}, past the paused sync's first change at {firstChange}");
        Assert.Equal(0L, await TargetScalarAsync<long>("SELECT count(*) FROM items WHERE id > 2000 OR v <> 'start ' || id"));

        await engine.CommandAsync("replay", ResumeRequested.Instance, TimeSpan.FromSeconds(5), default);

        await Eventually.AssertAsync(
            () => TableFingerprint.AssertEqualAsync(database.DataSource, "items", _target, "items", "id"), TimeSpan.FromSeconds(60));
        Assert.Contains(
            logs.Lines,
            l => l.Contains($"[4151] WAL listener on {_src}: sync replay dropped its backlog of keys; streaming again from the slot's confirmed position", StringComparison.Ordinal));
        await Eventually.AssertAsync(async () => Assert.True(
            await CompareConfirmedAsync(">=", afterWrites!), $"the slot confirmed {await ConfirmedAsync()}, not yet past {afterWrites}"), TimeSpan.FromSeconds(30));
        await EngineHarness.WaitForStateAsync(engine, "replay", SyncStates.Idle);
        Assert.True(backlog.IsEmpty);
        Assert.False(backlog.Overflowed);
        var status = (await engine.GetStatusAsync(TimeSpan.FromSeconds(5), default)).Syncs.Single();
        Assert.True(status.Restarts == 0 && status.LastError is null, status.LastError?.Message);
    }

    /// <summary>Runs <paramref name="sql"/> in a transaction and returns the WAL position just before its commit.</summary>
    private async Task<string> FirstChangeAsync(string sql)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var change = new NpgsqlCommand(sql, connection, transaction))
        {
            await change.ExecuteNonQueryAsync();
        }

        string lsn;
        await using (var position = new NpgsqlCommand("SELECT pg_current_wal_lsn()::text", connection, transaction))
        {
            lsn = (string)(await position.ExecuteScalarAsync())!;
        }

        await transaction.CommitAsync();
        return lsn;
    }

    private Task<bool> ConfirmedAtOrBeforeAsync(string lsn) => CompareConfirmedAsync("<=", lsn);

    /// <summary>The slot's confirmed position compared (<paramref name="comparison"/>: a constant) with <paramref name="lsn"/>.</summary>
    private async Task<bool> CompareConfirmedAsync(string comparison, string lsn)
    {
        await using var command = database.DataSource.CreateCommand(
            $"SELECT confirmed_flush_lsn {comparison} $1::pg_lsn FROM pg_replication_slots WHERE slot_name = $2");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = lsn });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = WalNames.Slot(_src) });
        return (bool)(await command.ExecuteScalarAsync())!;
    }

    private async Task<string?> ConfirmedAsync()
    {
        await using var command = database.DataSource.CreateCommand("SELECT confirmed_flush_lsn::text FROM pg_replication_slots WHERE slot_name = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = WalNames.Slot(_src) });
        return (string?)await command.ExecuteScalarAsync();
    }

    private async Task<T> TargetScalarAsync<T>(string sql)
    {
        await using var command = _target.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
