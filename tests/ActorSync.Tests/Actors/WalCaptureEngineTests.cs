using System.Security.Cryptography;
using ActorSync.Actors;
using ActorSync.Capture;
using ActorSync.Configuration;
using ActorSync.Tests.Support;
using Npgsql;
using NpgsqlTypes;

namespace ActorSync.Tests.Actors;

/// <summary>
/// <c>databases.NAME.capture-mode = wal</c> end to end (issue #20): the engine streams the source database's slot and
/// applies the decoded keys by re-reading the rows. Every test ends with target equal to source. Each test names its
/// source database uniquely: the slot (<c>actorsync_&lt;name&gt;</c>) is a server-wide object, and the server is shared.
/// </summary>
public sealed class WalCaptureEngineTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>, IAsyncLifetime
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
    public async Task Inserts_updates_deletes_key_changes_and_truncate_stream_to_a_target_in_another_database_and_in_the_same_one()
    {
        await database.ExecuteAsync("""
            CREATE TABLE orders (id bigint PRIMARY KEY, customer text, total numeric, note text);
            INSERT INTO orders SELECT g, 'c' || g, g * 1.5, NULL FROM generate_series(1, 3000) g;
            CREATE TABLE orders_copy (id bigint PRIMARY KEY, customer text, total numeric, note text);
            """);
        await EngineHarness.ExecuteAsync(_target, "CREATE TABLE orders (id bigint PRIMARY KEY, customer text, total numeric, note text)");
        await using var engine = Start(
            SyncDriver.Define("orders_out", $"{_src}:public.orders", "tgt:public.orders"),
            SyncDriver.Define("orders_here", $"{_src}:public.orders", $"{_src}:public.orders_copy"));
        await EngineHarness.WaitForStateAsync(engine, "orders_out", SyncStates.Idle);
        await EngineHarness.WaitForStateAsync(engine, "orders_here", SyncStates.Idle);
        await AssertConvergedAsync();

        await database.ExecuteAsync("""
            INSERT INTO orders SELECT g, 'late', 1, NULL FROM generate_series(3001, 3100) g;
            UPDATE orders SET total = total + 1 WHERE id % 10 = 0;
            DELETE FROM orders WHERE id % 7 = 0;
            UPDATE orders SET id = -id WHERE id BETWEEN 100 AND 120;
            UPDATE orders SET note = repeat('toasted ', 100000) WHERE id = 5;
            """);
        await AssertConvergedAsync();
        // An update that leaves the large (TOASTed) value alone: pgoutput sends it as "unchanged"; the re-read has it.
        await database.ExecuteAsync("UPDATE orders SET total = 42 WHERE id = 5");
        await AssertConvergedAsync();
        await database.ExecuteAsync("TRUNCATE orders; INSERT INTO orders VALUES (1, 'only', 1, 'after the truncate')");
        await AssertConvergedAsync();

        // No trigger and no delta table on the source: only the publication and the slot.
        await using (var triggers = database.DataSource.CreateCommand(
            "SELECT count(*) FROM pg_trigger WHERE tgrelid = 'orders'::regclass AND NOT tgisinternal"))
        {
            Assert.Equal(0L, (long)(await triggers.ExecuteScalarAsync())!);
        }

        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM pg_class WHERE relname LIKE 'delta\\_%'"));
        Assert.Equal(["orders"], await PublishedTablesAsync());
        var status = await engine.GetStatusAsync(TimeSpan.FromSeconds(5), default);
        Assert.All(status.Syncs, s => Assert.True(s.RowsApplied > 0 && s.Restarts == 0 && s.LastError is null, s.LastError?.Message));
        Assert.All(status.Listeners, l => Assert.True(l.Connected));
    }

    [Fact]
    public async Task Once_streaming_decoded_rows_reach_the_target_while_the_source_table_is_locked_against_every_reader()
    {
        await database.ExecuteAsync("CREATE TABLE direct (id int PRIMARY KEY, v text); INSERT INTO direct SELECT g, 'copied' FROM generate_series(1, 10) g");
        await EngineHarness.ExecuteAsync(_target, "CREATE TABLE direct (id int PRIMARY KEY, v text)");
        await using var engine = Start(SyncDriver.Define("direct", $"{_src}:public.direct", "tgt:public.direct"));
        await EngineHarness.WaitForStateAsync(engine, "direct", SyncStates.Idle);

        // A change after the copy: the copy fixed the position from which decoded rows are applied as they are
        // (DESIGN.md, "WAL capture"), so this one already is.
        await database.ExecuteAsync("INSERT INTO direct VALUES (11, 'first')");
        await Eventually.AssertAsync(() => TableFingerprint.AssertEqualAsync(database.DataSource, "direct", _target, "direct", "id"));

        // The target's table is locked, so the next apply waits there; the changes after it queue behind it.
        await using var targetBlocker = await _target.OpenConnectionAsync();
        await using var targetLock = await targetBlocker.BeginTransactionAsync();
        await using (var lockTarget = new NpgsqlCommand("LOCK TABLE direct IN ACCESS EXCLUSIVE MODE", targetBlocker, targetLock))
        {
            await lockTarget.ExecuteNonQueryAsync();
        }

        await database.ExecuteAsync("INSERT INTO direct VALUES (12, 'waits at the target')");
        await Eventually.AssertAsync(async () => Assert.True(
            await TargetScalarAsync<long>("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%direct%'") > 0,
            "the apply never waited for the target's lock"));
        await database.ExecuteAsync("UPDATE direct SET v = 'updated' WHERE id <= 5; DELETE FROM direct WHERE id = 6; INSERT INTO direct VALUES (13, 'queued')");

        // Now no one may read the source table: a re-read would wait. The decoded rows need no read.
        await using var sourceBlocker = await database.DataSource.OpenConnectionAsync();
        await using var sourceLock = await sourceBlocker.BeginTransactionAsync();
        await using (var lockSource = new NpgsqlCommand("LOCK TABLE direct IN ACCESS EXCLUSIVE MODE", sourceBlocker, sourceLock))
        {
            await lockSource.ExecuteNonQueryAsync();
        }

        await targetLock.RollbackAsync();
        await Eventually.AssertAsync(async () =>
        {
            Assert.Equal(12L, await TargetScalarAsync<long>("SELECT count(*) FROM direct"));
            Assert.Equal(5L, await TargetScalarAsync<long>("SELECT count(*) FROM direct WHERE v = 'updated'"));
            Assert.Equal(1L, await TargetScalarAsync<long>("SELECT count(*) FROM direct WHERE id = 13"));
        });

        await sourceLock.RollbackAsync();
        await Eventually.AssertAsync(() => TableFingerprint.AssertEqualAsync(database.DataSource, "direct", _target, "direct", "id"));
        var status = await engine.GetStatusAsync(TimeSpan.FromSeconds(5), default);
        Assert.All(status.Syncs, s => Assert.True(s.Restarts == 0 && s.LastError is null, s.LastError?.Message));
    }

    [Fact]
    public async Task Decoded_rows_keep_their_values_whatever_output_styles_the_source_database_sets()
    {
        // The decoded rows are text in the WAL sender's output styles, read back by the target. The user's sessions here
        // ask for day-first dates, SQL-standard intervals and floats cut to 15 digits; every value must arrive intact.
        var name = _src + "st";
        var sourceConnectionString = new NpgsqlConnectionStringBuilder(
            await SharedPostgresServer.GetConnectionStringAsync(await database.CreateDatabaseAsync("styles")))
        {
            Options = "-c DateStyle=SQL,DMY -c IntervalStyle=sql_standard -c extra_float_digits=0",
        }.ConnectionString;
        await using var source = NpgsqlDataSource.Create(sourceConnectionString);
        const string Table = "CREATE TABLE styled (id int PRIMARY KEY, d date, ts timestamp, tz timestamptz, iv interval, f float8, r real)";
        await EngineHarness.ExecuteAsync(source, Table);
        await EngineHarness.ExecuteAsync(_target, Table);
        try
        {
            await using var engine = EngineHarness.Start(
                new Dictionary<string, string> { [name] = sourceConnectionString, ["tgt"] = _targetConnectionString },
                [SyncDriver.Define("styled", $"{name}:public.styled", "tgt:public.styled")],
                CaptureMode.Wal,
                configure: options => options.Databases[name].CaptureMode = DatabaseCaptureMode.Wal);
            await EngineHarness.WaitForStateAsync(engine, "styled", SyncStates.Idle);
            await EngineHarness.ExecuteAsync(source, "INSERT INTO styled VALUES (0, NULL, NULL, NULL, NULL, NULL, NULL)");
            await Eventually.AssertAsync(async () => Assert.Equal(1L, await CountAsync(_target, "styled")));

            // Streamed after the first change, so the decoded rows are applied as they are.
            await EngineHarness.ExecuteAsync(source, """
                INSERT INTO styled VALUES
                    (1, '2026-12-04', '2026-12-04 13:14:15.123456', '2026-12-04 13:14:15.5+05:30', '-1 day +02:03:04.5', 0.1 + 0.2, 1.1::real / 3),
                    (2, '0044-03-15 BC', '1999-01-08 04:05:06', 'infinity', '1 year 2 months -3 days', 1e-300, 'NaN'),
                    (3, '2026-01-02', '2026-02-01 00:00:00', '2026-02-01 00:00:00+00', '-00:00:01', -0.0, 3.4028235e38::real)
                """);
            await Eventually.AssertAsync(async () =>
                Assert.Equal(await TypedRowsAsync(source), await TypedRowsAsync(_target)));
        }
        finally
        {
            await WalTestSupport.DropSlotAsync(source, name);
        }
    }

    private static async Task<long> CountAsync(NpgsqlDataSource dataSource, string table)
    {
        await using var command = dataSource.CreateCommand($"SELECT count(*) FROM {table}");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>The rows as text, in one fixed set of output styles on both sides.</summary>
    private static async Task<List<string>> TypedRowsAsync(NpgsqlDataSource dataSource)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using (var styles = new NpgsqlCommand("SET DateStyle = 'ISO, MDY'; SET IntervalStyle = 'postgres'; SET extra_float_digits = 3; SET TimeZone = 'UTC'", connection))
        {
            await styles.ExecuteNonQueryAsync();
        }

        var rows = new List<string>();
        await using var command = new NpgsqlCommand("SELECT s::text FROM styled s ORDER BY id", connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }

    [Fact]
    public async Task A_rolled_back_transaction_leaves_no_trace()
    {
        await database.ExecuteAsync("CREATE TABLE rb (id int PRIMARY KEY, v text); INSERT INTO rb VALUES (1, 'kept')");
        await EngineHarness.ExecuteAsync(_target, "CREATE TABLE rb (id int PRIMARY KEY, v text)");
        await using var engine = Start(SyncDriver.Define("rb", $"{_src}:public.rb", "tgt:public.rb"));
        await EngineHarness.WaitForStateAsync(engine, "rb", SyncStates.Idle);

        await using (var connection = await database.DataSource.OpenConnectionAsync())
        {
            await using var transaction = await connection.BeginTransactionAsync();
            await using var command = new NpgsqlCommand(
                "INSERT INTO rb SELECT g, 'rolled back' FROM generate_series(2, 1000) g; UPDATE rb SET v = 'rolled back' WHERE id = 1", connection, transaction);
            await command.ExecuteNonQueryAsync();
            await transaction.RollbackAsync();
        }

        await database.ExecuteAsync("INSERT INTO rb VALUES (5000, 'committed after')");
        await Eventually.AssertAsync(async () => Assert.Equal(2L, await TargetScalarAsync<long>("SELECT count(*) FROM rb")));
        Assert.Equal(0L, await TargetScalarAsync<long>("SELECT count(*) FROM rb WHERE v = 'rolled back'"));
        await TableFingerprint.AssertEqualAsync(database.DataSource, "rb", _target, "rb", "id");
        // The committed insert only (a copy counts no applied rows). Counted when the replicator hears its batch
        // committed, a moment after the target shows it (CI once read 0 here).
        await Eventually.AssertAsync(async () =>
            Assert.Equal(1L, (await engine.GetStatusAsync(TimeSpan.FromSeconds(5), default)).Syncs.Single().RowsApplied));
    }

    [Fact]
    public async Task After_a_batch_changes_gather_for_batch_delay_into_one_batch_and_an_idle_sync_applies_at_once()
    {
        await database.ExecuteAsync("CREATE TABLE gather (id int PRIMARY KEY, v text)");
        await EngineHarness.ExecuteAsync(_target, "CREATE TABLE gather (id int PRIMARY KEY, v text)");
        // A delay far longer than the writes below take, so they all land in the window after the first batch.
        await using var engine = Start(SyncDriver.Define("gather", $"{_src}:public.gather", "tgt:public.gather") with { BatchDelay = TimeSpan.FromSeconds(6) });
        await EngineHarness.WaitForStateAsync(engine, "gather", SyncStates.Idle);

        await database.ExecuteAsync("INSERT INTO gather VALUES (1, 'first')");
        await Eventually.AssertAsync(async () => Assert.Equal(1L, await TargetScalarAsync<long>("SELECT count(*) FROM gather")));
        var first = await Eventually.ValueAsync(() => BatchesAsync(engine), b => b >= 1);
        Assert.Equal(1L, first);

        // Five transactions 200 ms apart: without the gathering each would be a batch of its own.
        for (var id = 2; id <= 6; id++)
        {
            await database.ExecuteAsync($"INSERT INTO gather VALUES ({id}, 'gathered')");
            await Task.Delay(200);
        }

        await Eventually.AssertAsync(async () => Assert.Equal(6L, await TargetScalarAsync<long>("SELECT count(*) FROM gather")));
        await TableFingerprint.AssertEqualAsync(database.DataSource, "gather", _target, "gather", "id");
        Assert.Equal(2L, await Eventually.ValueAsync(() => BatchesAsync(engine), b => b >= 2));
    }

    private static async Task<long> BatchesAsync(SyncEngine engine) =>
        (await engine.GetStatusAsync(TimeSpan.FromSeconds(5), default)).Syncs.Single().BatchesApplied;

    [Fact]
    public async Task The_slot_does_not_confirm_changes_the_target_refused_and_a_new_engine_applies_them_from_the_slot()
    {
        await database.ExecuteAsync("CREATE TABLE strict (id int PRIMARY KEY, v text); CREATE TABLE easy (id int PRIMARY KEY, v text)");
        await EngineHarness.ExecuteAsync(_target, """
            CREATE TABLE strict (id int PRIMARY KEY, v text CHECK (v <> 'forbidden'));
            CREATE TABLE easy (id int PRIMARY KEY, v text);
            """);
        var syncs = new[]
        {
            SyncDriver.Define("strict", $"{_src}:public.strict", "tgt:public.strict"),
            SyncDriver.Define("easy", $"{_src}:public.easy", "tgt:public.easy"),
        };
        NpgsqlLogSequenceNumber refusedAt;
        await using (var engine = Start(syncs))
        {
            await EngineHarness.WaitForStateAsync(engine, "strict", SyncStates.Idle);
            await EngineHarness.WaitForStateAsync(engine, "easy", SyncStates.Idle);
            await database.ExecuteAsync("INSERT INTO easy VALUES (1, 'first')");
            await Eventually.AssertAsync(() => TableFingerprint.AssertEqualAsync(database.DataSource, "easy", _target, "easy", "id"));
            await AssertConfirmsAsync(await WalPositionAsync());

            // Read in the refused insert's own transaction, after the insert: its commit comes later in the WAL.
            refusedAt = await ScalarAsync<NpgsqlLogSequenceNumber>("INSERT INTO strict VALUES (1, 'forbidden'); SELECT pg_current_wal_insert_lsn()");
            await database.ExecuteAsync("INSERT INTO easy VALUES (2, 'after the refused change')");
            await EngineHarness.WaitForStateAsync(engine, "strict", SyncStates.Failing);
            await Task.Delay(TimeSpan.FromSeconds(3)); // status updates and keep-alives come and go: still nothing confirmed
            // Other test classes' WAL may be confirmed up to the refused change (keep-alives), never past it.
            var confirmed = await ConfirmedAsync();
            Assert.True(confirmed <= refusedAt, $"the slot confirmed {confirmed}, past the refused change (at {refusedAt})");
        }

        // Killed while the change was unapplied: the slot still has it, and so does the next start.
        await EngineHarness.ExecuteAsync(_target, "ALTER TABLE strict DROP CONSTRAINT strict_v_check");
        await using (var engine = Start(syncs))
        {
            await Eventually.AssertAsync(() => TableFingerprint.AssertEqualAsync(database.DataSource, "strict", _target, "strict", "id"));
            await Eventually.AssertAsync(() => TableFingerprint.AssertEqualAsync(database.DataSource, "easy", _target, "easy", "id"));
            await AssertConfirmsAsync(refusedAt, past: true);
        }
    }

    [Fact]
    public async Task A_terminated_replication_connection_reconnects_and_resumes_from_the_slot_while_writes_go_on()
    {
        await database.ExecuteAsync("CREATE TABLE term (id int PRIMARY KEY, v int)");
        await EngineHarness.ExecuteAsync(_target, "CREATE TABLE term (id int PRIMARY KEY, v int)");
        await using var engine = Start(SyncDriver.Define("term", $"{_src}:public.term", "tgt:public.term"));
        await EngineHarness.WaitForStateAsync(engine, "term", SyncStates.Idle);
        for (var round = 1; round <= 3; round++)
        {
            await database.ExecuteAsync($"INSERT INTO term SELECT g, {round} FROM generate_series({round * 1000}, {round * 1000 + 999}) g");
            await using (var kill = database.DataSource.CreateCommand(
                "SELECT count(pg_terminate_backend(active_pid)) FROM pg_replication_slots WHERE slot_name = $1 AND active"))
            {
                kill.Parameters.Add(new NpgsqlParameter<string> { TypedValue = WalNames.Slot(_src) });
                await kill.ExecuteScalarAsync();
            }

            await database.ExecuteAsync($"UPDATE term SET v = v + 10 WHERE id % 3 = 0; DELETE FROM term WHERE id % 11 = {round}");
            await Eventually.AssertAsync(() => TableFingerprint.AssertEqualAsync(database.DataSource, "term", _target, "term", "id"));
        }

        var listener = (await engine.GetStatusAsync(TimeSpan.FromSeconds(5), default)).Listeners.Single(l => l.Database == _src);
        Assert.True(listener.Reconnects >= 1, $"{listener.Reconnects} reconnects");
        await Eventually.AssertAsync(async () => Assert.True(
            (await engine.GetStatusAsync(TimeSpan.FromSeconds(5), default)).Listeners.Single(l => l.Database == _src).Connected));
    }

    [Fact]
    public async Task A_large_transaction_is_applied_in_chunks_and_confirmed_after_its_last()
    {
        await database.ExecuteAsync("CREATE TABLE bulk (id int PRIMARY KEY, v text)");
        await EngineHarness.ExecuteAsync(_target, "CREATE TABLE bulk (id int PRIMARY KEY, v text)");
        await using var engine = Start(SyncDriver.Define("bulk", $"{_src}:public.bulk", "tgt:public.bulk", batchSize: 2000));
        await EngineHarness.WaitForStateAsync(engine, "bulk", SyncStates.Idle);
        var batchesBefore = (await engine.GetStatusAsync(TimeSpan.FromSeconds(5), default)).Syncs.Single().BatchesApplied;

        await database.ExecuteAsync("INSERT INTO bulk SELECT g, 'row ' || g FROM generate_series(1, 50000) g");

        await Eventually.AssertAsync(() => TableFingerprint.AssertEqualAsync(database.DataSource, "bulk", _target, "bulk", "id"), TimeSpan.FromSeconds(60));
        // 50,000 keys in chunks of at most 2,000: at least 25 target transactions. The replicator counts a batch after its
        // commit, so the target can match the source a moment before the last batch is counted.
        var batches = await Eventually.ValueAsync(() => BatchesAsync(engine), b => b - batchesBefore >= 25) - batchesBefore;
        Assert.True(batches >= 25, $"{batches} batches");
        await AssertConfirmsAsync(await WalPositionAsync());
    }

    [Fact]
    public async Task Transactions_that_queue_behind_a_slow_apply_are_applied_together_only_up_to_batch_size()
    {
        await database.ExecuteAsync("CREATE TABLE queued (id int PRIMARY KEY, v text)");
        // Each target transaction takes half a second, so the transactions committed meanwhile queue behind it.
        await EngineHarness.ExecuteAsync(_target, """
            CREATE TABLE queued (id int PRIMARY KEY, v text);
            CREATE FUNCTION slow_apply() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(0.5); RETURN NULL; END $$;
            CREATE TRIGGER slow_apply AFTER INSERT OR UPDATE OR DELETE ON queued FOR EACH STATEMENT EXECUTE FUNCTION slow_apply();
            """);
        await using var engine = Start(SyncDriver.Define("queued", $"{_src}:public.queued", "tgt:public.queued", batchSize: 5));
        await EngineHarness.WaitForStateAsync(engine, "queued", SyncStates.Idle);
        var batchesBefore = await BatchesAsync(engine);

        for (var id = 1; id <= 21; id++)
        {
            await database.ExecuteAsync($"INSERT INTO queued VALUES ({id}, 'queued')");
        }

        await Eventually.AssertAsync(() => TableFingerprint.AssertEqualAsync(database.DataSource, "queued", _target, "queued", "id"), TimeSpan.FromSeconds(60));
        // 21 one-row transactions, at most 5 keys a target transaction: at least 5 batches, however they queued.
        var batches = await Eventually.ValueAsync(() => BatchesAsync(engine), b => b - batchesBefore >= 5) - batchesBefore;
        Assert.InRange(batches, 5, 21);
    }

    [Fact]
    public async Task Writes_during_the_first_copy_and_a_resync_are_applied_after_it()
    {
        await database.ExecuteAsync("""
            CREATE TABLE busy (id int PRIMARY KEY, v int, pad text);
            INSERT INTO busy SELECT g, 0, repeat('x', 200) FROM generate_series(1, 100000) g;
            """);
        await EngineHarness.ExecuteAsync(_target, "CREATE TABLE busy (id int PRIMARY KEY, v int, pad text)");
        using var stop = new CancellationTokenSource();
        var writer = WriteAsync(stop.Token);
        await using var engine = Start(SyncDriver.Define("busy", $"{_src}:public.busy", "tgt:public.busy", batchSize: 5000));
        await EngineHarness.WaitForStateAsync(engine, "busy", SyncStates.Streaming, TimeSpan.FromSeconds(60));
        await engine.CommandAsync("busy", ResyncRequested.Instance, TimeSpan.FromSeconds(5), default);
        await Task.Delay(TimeSpan.FromSeconds(2));
        await stop.CancelAsync();
        var writes = await writer;

        Assert.True(writes > 10, $"{writes} writer transactions");
        await Eventually.AssertAsync(() => TableFingerprint.AssertEqualAsync(database.DataSource, "busy", _target, "busy", "id"), TimeSpan.FromSeconds(60));

        async Task<int> WriteAsync(CancellationToken cancellationToken)
        {
            var n = 0;
            while (!cancellationToken.IsCancellationRequested)
            {
                n++;
                await database.ExecuteAsync(
                    $"UPDATE busy SET v = v + 1 WHERE id % 97 = {n % 97}; INSERT INTO busy VALUES ({100000 + n}, {n}, 'new'); DELETE FROM busy WHERE id = {n * 13}");
            }

            return n;
        }
    }

    [Fact]
    public async Task A_table_added_to_the_configuration_joins_the_publication_is_copied_and_streams()
    {
        await database.ExecuteAsync("""
            CREATE TABLE first (id int PRIMARY KEY, v text);
            CREATE TABLE second (id int PRIMARY KEY, v text);
            INSERT INTO second SELECT g, 'before' FROM generate_series(1, 500) g;
            """);
        await EngineHarness.ExecuteAsync(_target, "CREATE TABLE first (id int PRIMARY KEY, v text); CREATE TABLE second (id int PRIMARY KEY, v text)");
        var first = SyncDriver.Define("first", $"{_src}:public.first", "tgt:public.first");
        await using (var engine = Start(first))
        {
            await EngineHarness.WaitForStateAsync(engine, "first", SyncStates.Idle);
            await database.ExecuteAsync("INSERT INTO first VALUES (1, 'a'); INSERT INTO second VALUES (501, 'while not synced')");
            await Eventually.AssertAsync(() => TableFingerprint.AssertEqualAsync(database.DataSource, "first", _target, "first", "id"));
            Assert.Equal(["first"], await PublishedTablesAsync());
        }

        await database.ExecuteAsync("INSERT INTO first VALUES (2, 'while stopped')");
        await using (var engine = Start(first, SyncDriver.Define("second", $"{_src}:public.second", "tgt:public.second")))
        {
            await EngineHarness.WaitForStateAsync(engine, "second", SyncStates.Idle);
            await database.ExecuteAsync("UPDATE second SET v = 'after' WHERE id <= 10; INSERT INTO first VALUES (3, 'b')");
            await Eventually.AssertAsync(() => TableFingerprint.AssertEqualAsync(database.DataSource, "second", _target, "second", "id"));
            await Eventually.AssertAsync(() => TableFingerprint.AssertEqualAsync(database.DataSource, "first", _target, "first", "id"));
            Assert.Equal(["first", "second"], await PublishedTablesAsync());
        }
    }

    [Fact]
    public async Task Switching_from_trigger_capture_to_wal_loses_no_change_made_before_during_or_after()
    {
        await database.ExecuteAsync("CREATE TABLE sw (id int PRIMARY KEY, v text); INSERT INTO sw SELECT g, 'start' FROM generate_series(1, 200) g");
        await EngineHarness.ExecuteAsync(_target, "CREATE TABLE sw (id int PRIMARY KEY, v text)");
        var sync = SyncDriver.Define("sw", $"{_src}:public.sw", "tgt:public.sw");
        var databases = new Dictionary<string, string> { [_src] = database.ConnectionString, ["tgt"] = _targetConnectionString };
        await using (var engine = EngineHarness.Start(databases, [sync]))
        {
            await EngineHarness.WaitForStateAsync(engine, "sw", SyncStates.Idle);
            await database.ExecuteAsync("UPDATE sw SET v = 'trigger' WHERE id <= 20");
            await Eventually.AssertAsync(() => TableFingerprint.AssertEqualAsync(database.DataSource, "sw", _target, "sw", "id"));
        }

        // Recorded by the triggers while nothing runs: in the delta only.
        await database.ExecuteAsync("UPDATE sw SET v = 'stopped' WHERE id BETWEEN 21 AND 40; DELETE FROM sw WHERE id = 199");
        await using (var engine = Start(sync))
        {
            await Eventually.AssertAsync(() => TableFingerprint.AssertEqualAsync(database.DataSource, "sw", _target, "sw", "id"));
            await EngineHarness.WaitForStateAsync(engine, "sw", SyncStates.Idle);
            await database.ExecuteAsync("UPDATE sw SET v = 'wal' WHERE id BETWEEN 41 AND 60");
            await Eventually.AssertAsync(() => TableFingerprint.AssertEqualAsync(database.DataSource, "sw", _target, "sw", "id"));
        }

        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM pg_trigger WHERE tgrelid = 'sw'::regclass AND NOT tgisinternal"));
        Assert.False(await ScalarAsync<bool>("SELECT to_regclass('actorsync.delta_sw') IS NOT NULL"));
    }

    [Fact]
    public async Task Switching_from_wal_back_to_triggers_drains_the_slot_into_the_target_and_drops_slot_and_publication()
    {
        await database.ExecuteAsync("CREATE TABLE back (id int PRIMARY KEY, v text); INSERT INTO back SELECT g, 'start' FROM generate_series(1, 200) g");
        await EngineHarness.ExecuteAsync(_target, "CREATE TABLE back (id int PRIMARY KEY, v text)");
        var sync = SyncDriver.Define("back", $"{_src}:public.back", "tgt:public.back");
        var databases = new Dictionary<string, string> { [_src] = database.ConnectionString, ["tgt"] = _targetConnectionString };
        await using (var engine = Start(sync))
        {
            await EngineHarness.WaitForStateAsync(engine, "back", SyncStates.Idle);
            await database.ExecuteAsync("UPDATE back SET v = 'wal' WHERE id <= 20");
            await Eventually.AssertAsync(() => TableFingerprint.AssertEqualAsync(database.DataSource, "back", _target, "back", "id"));
        }

        // Made while nothing runs: in the slot only.
        await database.ExecuteAsync("UPDATE back SET v = 'stopped' WHERE id BETWEEN 21 AND 40; DELETE FROM back WHERE id = 199; INSERT INTO back VALUES (500, 'new')");

        // What `run` does before it starts the engine of a database that captures with triggers again.
        var plan = (await SyncDriver.PlanAsync(sync, database.DataSource, _target)).Plan!;
        var options = databases.ToDictionary(d => d.Key, d => new DatabaseOptions { ConnectionString = d.Value });
        Assert.Equal([_src], await WalDrain.RunAsync(options, [plan], default));
        await TableFingerprint.AssertEqualAsync(database.DataSource, "back", _target, "back", "id");
        Assert.Null(await ConfirmedAsync());
        Assert.Empty(await PublishedTablesAsync());
        Assert.Empty(await WalDrain.RunAsync(options, [plan], default));

        await using (var engine = EngineHarness.Start(databases, [sync]))
        {
            await EngineHarness.WaitForStateAsync(engine, "back", SyncStates.Idle);
            await database.ExecuteAsync("UPDATE back SET v = 'trigger' WHERE id BETWEEN 41 AND 60");
            await Eventually.AssertAsync(() => TableFingerprint.AssertEqualAsync(database.DataSource, "back", _target, "back", "id"));
        }
    }

    [Fact]
    public async Task Uninstall_drops_the_slot_and_the_publication_and_check_dry_run_prints_them()
    {
        await database.ExecuteAsync("CREATE TABLE un (id int PRIMARY KEY, v text)");
        await EngineHarness.ExecuteAsync(_target, "CREATE TABLE un (id int PRIMARY KEY, v text)");
        await using (var engine = Start(SyncDriver.Define("un", $"{_src}:public.un", "tgt:public.un")))
        {
            await EngineHarness.WaitForStateAsync(engine, "un", SyncStates.Idle);
        }

        Assert.NotNull(await ConfirmedAsync());
        using var config = ConfigFile.Write(
            new Dictionary<string, string> { [_src] = database.ConnectionString, ["tgt"] = _targetConnectionString },
            [$"{{ name = un, source = \"{_src}:public.un\", target = \"tgt:public.un\" }}"],
            $"databases {{ {_src} {{ capture-mode = wal }} }}");
        var (checkExit, dryRun) = await CliRun.InvokeAsync("check", "--config", config.Path, "--dry-run");
        Assert.True(checkExit == 0, dryRun);
        Assert.Contains($"CREATE PUBLICATION \"{WalNames.Publication(_src)}\" FOR TABLE \"public\".\"un\";", dryRun, StringComparison.Ordinal);
        Assert.Contains($"pg_catalog.pg_create_logical_replication_slot(E'{WalNames.Slot(_src)}', 'pgoutput')", dryRun, StringComparison.Ordinal);
        Assert.DoesNotContain("CREATE TRIGGER", dryRun, StringComparison.Ordinal);

        var (exitCode, output) = await CliRun.InvokeAsync("uninstall", "--config", config.Path);
        Assert.True(exitCode == 0, output);
        Assert.Contains($"dropped replication slot and publication {WalNames.Slot(_src)}", output, StringComparison.Ordinal);
        Assert.Null(await ConfirmedAsync());
        Assert.Equal(0L, await ScalarAsync<long>($"SELECT count(*) FROM pg_publication WHERE pubname = '{WalNames.Publication(_src)}'"));
    }

    private SyncEngine Start(params SyncDefinition[] syncs) => EngineHarness.Start(
        new Dictionary<string, string> { [_src] = database.ConnectionString, ["tgt"] = _targetConnectionString },
        syncs, CaptureMode.Wal, configure: options => options.Databases[_src].CaptureMode = DatabaseCaptureMode.Wal);

    private async Task AssertConvergedAsync()
    {
        await Eventually.AssertAsync(() => TableFingerprint.AssertEqualAsync(database.DataSource, "orders", _target, "orders", "id"));
        await Eventually.AssertAsync(() => TableFingerprint.AssertEqualAsync(database.DataSource, "orders", database.DataSource, "orders_copy", "id"));
    }

    private async Task<NpgsqlLogSequenceNumber?> ConfirmedAsync()
    {
        await using var command = database.DataSource.CreateCommand("SELECT confirmed_flush_lsn FROM pg_replication_slots WHERE slot_name = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = WalNames.Slot(_src) });
        return (NpgsqlLogSequenceNumber?)await command.ExecuteScalarAsync();
    }

    /// <summary>
    /// The server's WAL position now, past every change committed so far. WAL is the server's and other test classes
    /// write it all the time, so a slot is only ever waited on to reach such a mark, never to equal the server's position.
    /// </summary>
    private Task<NpgsqlLogSequenceNumber> WalPositionAsync() => ScalarAsync<NpgsqlLogSequenceNumber>("SELECT pg_current_wal_lsn()");

    /// <summary>Waits for the slot to confirm <paramref name="position"/> (or to move past it).</summary>
    private Task AssertConfirmsAsync(NpgsqlLogSequenceNumber position, bool past = false) => Eventually.AssertAsync(
        async () =>
        {
            var confirmed = await ConfirmedAsync();
            Assert.True(past ? confirmed > position : confirmed >= position, $"the slot confirmed {confirmed?.ToString() ?? "nothing"}, not yet {(past ? "past " : "")}{position}");
        },
        TimeSpan.FromSeconds(30));

    private async Task<string[]> PublishedTablesAsync()
    {
        await using var command = database.DataSource.CreateCommand("SELECT tablename FROM pg_publication_tables WHERE pubname = $1 ORDER BY 1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = WalNames.Publication(_src) });
        var tables = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            tables.Add(reader.GetString(0));
        }

        return [.. tables];
    }

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var command = database.DataSource.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private async Task<T> TargetScalarAsync<T>(string sql)
    {
        await using var command = _target.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
