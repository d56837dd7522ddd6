using ActorSync.Capture;
using ActorSync.Configuration;
using ActorSync.Snapshot;
using ActorSync.Tests.Support;
using Npgsql;

namespace ActorSync.Tests.Snapshot;

/// <summary>
/// <c>snapshot-indexes = defer</c>: the target's indexes are dropped while a snapshot copies and built again after it,
/// exactly as they were; those that cannot be rebuilt exactly stay; a definition survives a killed copy and an uninstall.
/// </summary>
public sealed class IndexDeferralTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>, IAsyncLifetime
{
    // Every index and constraint of a table, as the catalog describes it: what must be the same after a snapshot.
    private const string IndexesSql = """
        SELECT coalesce(string_agg(pg_get_indexdef(i.indexrelid) || coalesce(' / ' || c.conname || ' ' || pg_get_constraintdef(c.oid), ''),
                                   E'\n' ORDER BY pg_get_indexdef(i.indexrelid)), '')
        FROM pg_index i LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid AND c.conrelid = i.indrelid
        WHERE i.indrelid = to_regclass($1)
        """;

    private SourceAndTarget _databases = null!;

    private NpgsqlDataSource Target => _databases.Target;

    private DataSourceLeaser Leaser => _databases.Leaser;

    public async Task InitializeAsync() => _databases = await SourceAndTarget.CreateAsync(database);

    public async Task DisposeAsync() => await _databases.DisposeAsync();

    [Fact]
    public async Task Indexes_are_dropped_for_the_copy_and_built_again_exactly_as_they_were()
    {
        await database.ExecuteAsync(
            "CREATE TABLE rich (id bigint PRIMARY KEY, code text NOT NULL, v int, note text); " +
            "INSERT INTO rich SELECT g, 'c' || g, g % 100, md5(g::text) FROM generate_series(1, 50000) g; ANALYZE rich");
        await ExecuteAsync(
            Target,
            "CREATE TABLE rich (id bigint, code text NOT NULL, v int, note text, CONSTRAINT \"rich key\" PRIMARY KEY (id)); " +
            "ALTER TABLE rich ADD CONSTRAINT rich_code UNIQUE (code) DEFERRABLE INITIALLY DEFERRED; " +
            "CREATE INDEX rich_v_partial ON rich (v DESC NULLS LAST) INCLUDE (note) WITH (fillfactor = 70) WHERE v > 10; " +
            "CREATE INDEX \"Rich Upper\" ON rich USING hash (upper(note))");
        var before = await IndexesAsync("rich");
        var driver = await InstallAsync("rich");
        var progress = new SnapshotProgress();

        var outcome = await SnapshotRunner.RunAsync(driver.Plan, Leaser, progress, force: false, default);

        Assert.Equal(SnapshotRunner.Outcome.Copied, outcome);
        Assert.Equal(["rich key", "rich_code", "Rich Upper", "rich_v_partial"], progress.DeferredIndexes);
        Assert.Equal(before, await IndexesAsync("rich"));
        Assert.Equal(0L, await ScalarAsync<long>(Target, "SELECT count(*) FROM actorsync.deferred_indexes"));
        await TableFingerprint.AssertEqualAsync(database.DataSource, "rich", Target, "rich", "id");
        await database.ExecuteAsync("UPDATE rich SET v = v + 1 WHERE id <= 10; DELETE FROM rich WHERE id = 20");
        await driver.DrainAsync();
        await TableFingerprint.AssertEqualAsync(database.DataSource, "rich", Target, "rich", "id");
    }

    [Fact]
    public async Task Indexes_that_cannot_be_rebuilt_exactly_are_kept_and_filled_during_the_copy()
    {
        await database.ExecuteAsync(
            "CREATE TABLE held (id int PRIMARY KEY, a int, b int, c int); INSERT INTO held SELECT g, g, g, g FROM generate_series(1, 5000) g");
        await ExecuteAsync(
            Target,
            "CREATE TABLE held (id int PRIMARY KEY, a int, b int, c int); " +
            "CREATE VIEW held_by_id AS SELECT id, a FROM held GROUP BY id; " + // the view needs held_pkey
            "CREATE INDEX held_a ON held (a); COMMENT ON INDEX held_a IS 'documented'; " +
            "CREATE INDEX held_b ON held (b); CLUSTER held USING held_b; " +
            "ALTER TABLE held ALTER c SET NOT NULL; CREATE UNIQUE INDEX held_c ON held (c); ALTER TABLE held REPLICA IDENTITY USING INDEX held_c; " +
            "ALTER TABLE held ADD CONSTRAINT held_ac UNIQUE (a, c) WITH (fillfactor = 80); " + // its definition omits the fillfactor
            "CREATE INDEX held_plain ON held (a, b)");
        var kept = await ScalarAsync<uint[]>(
            Target, "SELECT array_agg(indexrelid::oid ORDER BY indexrelid) FROM pg_index WHERE indrelid = 'held'::regclass AND indexrelid <> 'held_plain'::regclass");
        var before = await IndexesAsync("held");
        var driver = await InstallAsync("held");
        var progress = new SnapshotProgress();

        await SnapshotRunner.RunAsync(driver.Plan, Leaser, progress, force: false, default);

        Assert.Equal(["held_plain"], progress.DeferredIndexes);
        Assert.Equal(before, await IndexesAsync("held"));
        Assert.Equal(
            kept,
            await ScalarAsync<uint[]>(
                Target, "SELECT array_agg(indexrelid::oid ORDER BY indexrelid) FROM pg_index WHERE indrelid = 'held'::regclass AND indexrelid <> 'held_plain'::regclass"));
        await TableFingerprint.AssertEqualAsync(database.DataSource, "held", Target, "held", "id");
    }

    [Fact]
    public async Task With_keep_no_index_is_ever_dropped()
    {
        await database.ExecuteAsync("CREATE TABLE kept (id int PRIMARY KEY, v text); INSERT INTO kept SELECT g, 'v' FROM generate_series(1, 5000) g");
        await ExecuteAsync(Target, "CREATE TABLE kept (id int PRIMARY KEY, v text); CREATE INDEX kept_v ON kept (v)");
        var oids = await ScalarAsync<uint[]>(Target, "SELECT array_agg(indexrelid::oid ORDER BY indexrelid) FROM pg_index WHERE indrelid = 'kept'::regclass");
        var driver = await InstallAsync("kept", indexes: SnapshotIndexes.Keep);
        var progress = new SnapshotProgress();

        await SnapshotRunner.RunAsync(driver.Plan, Leaser, progress, force: false, default);

        Assert.Empty(progress.DeferredIndexes);
        Assert.Equal(oids, await ScalarAsync<uint[]>(Target, "SELECT array_agg(indexrelid::oid ORDER BY indexrelid) FROM pg_index WHERE indrelid = 'kept'::regclass"));
        await TableFingerprint.AssertEqualAsync(database.DataSource, "kept", Target, "kept", "id");
    }

    [Fact]
    public async Task A_killed_copy_keeps_its_indexes_deferred_plans_as_before_and_builds_them_when_it_resumes()
    {
        await database.ExecuteAsync(
            "CREATE TABLE killed (id int PRIMARY KEY, v text); INSERT INTO killed SELECT g, repeat('x', 200) FROM generate_series(1, 400000) g; ANALYZE killed");
        await ExecuteAsync(Target, "CREATE TABLE killed (id int PRIMARY KEY, v text); CREATE INDEX killed_v ON killed (left(v, 3))");
        var before = await IndexesAsync("killed");
        var driver = await InstallAsync("killed", parallelism: 2);
        var first = await KillMidCopyAsync(driver, rangesDone: 2);
        Assert.InRange(first.RangesDone, 2, first.RangesTotal - 1);
        Assert.Equal("", await IndexesAsync("killed"));

        // A restart plans the sync again: the deferred primary key still counts as the target's key.
        var replanned = await SyncDriver.PlanAsync(driver.Plan.Sync, database.DataSource, Target);
        Assert.True(replanned.Succeeded, string.Join(Environment.NewLine, replanned.Problems));
        var second = new SnapshotProgress();
        var outcome = await SnapshotRunner.RunAsync(replanned.Plan!, Leaser, second, false, default);

        Assert.Equal(SnapshotRunner.Outcome.Resumed, outcome);
        Assert.Equal(["killed_pkey", "killed_v"], second.DeferredIndexes);
        Assert.Equal(before, await IndexesAsync("killed"));
        await driver.DrainAsync();
        await TableFingerprint.AssertEqualAsync(database.DataSource, "killed", Target, "killed", "id");
    }

    [Fact]
    public async Task Uninstall_builds_the_deferred_indexes_again_before_it_removes_the_schema()
    {
        await database.ExecuteAsync(
            "CREATE TABLE left_behind (id int PRIMARY KEY, v text); INSERT INTO left_behind SELECT g, repeat('y', 200) FROM generate_series(1, 300000) g; ANALYZE left_behind");
        await ExecuteAsync(Target, "CREATE TABLE left_behind (id int PRIMARY KEY, v text)");
        var before = await IndexesAsync("left_behind");
        var driver = await InstallAsync("left_behind", parallelism: 2);
        await KillMidCopyAsync(driver, rangesDone: 1);
        Assert.Equal("", await IndexesAsync("left_behind"));

        await using (var connection = await Target.OpenConnectionAsync())
        {
            await CaptureInstaller.UninstallAsync(connection, default);
        }

        Assert.Equal(before, await IndexesAsync("left_behind"));
        Assert.Null(await ScalarAsync<string?>(Target, "SELECT to_regnamespace('actorsync')::text"));
    }

    [Fact]
    public async Task A_rebuild_that_fails_names_the_index_keeps_its_definition_and_a_resync_succeeds_once_the_source_is_fixed()
    {
        // The source has no unique key; the sync's configured key has a duplicate the target's primary key refuses.
        await database.ExecuteAsync(
            "CREATE TABLE dups (k int NOT NULL, v text); INSERT INTO dups SELECT g, 'v' FROM generate_series(1, 2000) g; INSERT INTO dups VALUES (7, 'again')");
        await ExecuteAsync(Target, "CREATE TABLE dups (k int PRIMARY KEY, v text)");
        var sync = SyncDriver.Define("dups", "src:public.dups", "tgt:public.dups", key: ["k"]);
        var driver = await SyncDriver.InstallAsync(sync, database.DataSource, Target, CaptureMode.Row);

        var failed = await Assert.ThrowsAsync<IndexRebuildException>(
            () => SnapshotRunner.RunAsync(driver.Plan, Leaser, new SnapshotProgress(), false, default));

        Assert.Equal("dups_pkey", failed.Index);
        Assert.Contains("\"dups_pkey\"", failed.Message, StringComparison.Ordinal);
        Assert.Contains("23505", failed.Message, StringComparison.Ordinal);
        Assert.Equal(1L, await ScalarAsync<long>(Target, "SELECT count(*) FROM actorsync.deferred_indexes WHERE index_name = 'dups_pkey'"));
        Assert.Equal("copying", await ScalarAsync<string>(Target, "SELECT snapshot_status FROM actorsync.sync_state WHERE sync_name = 'dups'"));

        await database.ExecuteAsync("DELETE FROM dups WHERE v = 'again'");
        var outcome = await SnapshotRunner.RunAsync(driver.Plan, Leaser, new SnapshotProgress(), force: true, default);

        Assert.Equal(SnapshotRunner.Outcome.Copied, outcome);
        Assert.Equal("CREATE UNIQUE INDEX dups_pkey ON public.dups USING btree (k) / dups_pkey PRIMARY KEY (k)", await IndexesAsync("dups"));
        await TableFingerprint.AssertEqualAsync(database.DataSource, "dups", Target, "dups", "k");
    }

    private async Task<SyncDriver> InstallAsync(string name, int parallelism = 4, SnapshotIndexes indexes = SnapshotIndexes.Defer)
    {
        var sync = SyncDriver.Define(name, $"src:public.{name}", $"tgt:public.{name}", batchSize: 5000) with
        {
            SnapshotParallelism = parallelism,
            SnapshotIndexes = indexes,
        };
        return await SyncDriver.InstallAsync(sync, database.DataSource, Target, CaptureMode.Row);
    }

    // Starts the copy and cancels it once this many ranges are committed, as a killed process would stop it.
    private async Task<SnapshotProgress> KillMidCopyAsync(SyncDriver driver, int rangesDone)
    {
        var progress = new SnapshotProgress();
        using var kill = new CancellationTokenSource();
        var run = SnapshotRunner.RunAsync(driver.Plan, Leaser, progress, false, kill.Token);
        while (progress.RangesDone < rangesDone && !run.IsCompleted)
        {
            await Task.Delay(10);
        }

        await kill.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        return progress;
    }

    private async Task<string> IndexesAsync(string table)
    {
        await using var command = Target.CreateCommand(IndexesSql);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = table });
        return (string)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        var value = await command.ExecuteScalarAsync();
        return value is DBNull ? default! : (T)value!;
    }

    private static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}
