using ActorSync.Apply;
using ActorSync.Capture;
using ActorSync.Tests.Support;
using Npgsql;

namespace ActorSync.Tests.Apply;

public sealed class BatchApplierTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>, IAsyncLifetime
{
    private NpgsqlDataSource _other = null!;

    public static TheoryData<bool, CaptureMode> Layouts => new()
    {
        { false, CaptureMode.Row },
        { false, CaptureMode.Statement },
        { false, CaptureMode.Auto },
        { true, CaptureMode.Row },
        { true, CaptureMode.Statement },
    };

    public async Task InitializeAsync()
    {
        var name = await database.CreateDatabaseAsync("tgt");
        _other = NpgsqlDataSource.Create(await SharedPostgresServer.GetConnectionStringAsync(name));
    }

    public async Task DisposeAsync() => await _other.DisposeAsync();

    [Theory]
    [MemberData(nameof(Layouts))]
    public async Task Inserts_updates_deletes_key_changes_and_truncate_arrive(bool sameDatabase, CaptureMode mode)
    {
        var (driver, source, target) = await SetUpAsync($"basic_{(sameDatabase ? "s" : "x")}_{mode}".ToLowerInvariant(), sameDatabase, mode);
        await Source.ExecuteAsync($"INSERT INTO {source} SELECT g, 'v' || g FROM generate_series(1, 2500) g");
        await driver.DrainAsync();
        await AssertSameAsync(driver, source, target);

        await Source.ExecuteAsync($"""
            UPDATE {source} SET v = 'changed' WHERE id % 3 = 0;
            DELETE FROM {source} WHERE id % 5 = 0;
            UPDATE {source} SET id = id + 100000 WHERE id % 7 = 1;
            """);
        await driver.DrainAsync();
        await AssertSameAsync(driver, source, target);

        await Source.ExecuteAsync($"TRUNCATE {source}; INSERT INTO {source} VALUES (1, 'after truncate')");
        await driver.DrainAsync();
        await AssertSameAsync(driver, source, target);
        Assert.Equal(1L, await Scalar<long>(driver.Target, $"SELECT count(*) FROM {target}"));
        Assert.Equal(0L, await Scalar<long>(driver.Source, $"SELECT count(*) FROM {driver.Plan.DeltaTable}"));
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public async Task Many_updates_of_one_row_collapse_into_one_copy(bool sameDatabase, CaptureMode mode)
    {
        var (driver, source, target) = await SetUpAsync($"collapse_{(sameDatabase ? "s" : "x")}_{mode}".ToLowerInvariant(), sameDatabase, mode);
        await Source.ExecuteAsync($"INSERT INTO {source} VALUES (1, 'a')");
        for (var i = 0; i < 50; i++)
        {
            await Source.ExecuteAsync($"UPDATE {source} SET v = 'v{i}' WHERE id = 1");
        }

        var batches = await driver.DrainAsync();

        Assert.Equal(51, batches.Sum(b => b.DeltaRows));
        Assert.Equal(1L, batches.Sum(b => b.Upserted));
        await AssertSameAsync(driver, source, target);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Changes_of_a_transaction_still_open_during_a_batch_are_applied_by_a_later_one(bool sameDatabase)
    {
        var (driver, source, target) = await SetUpAsync($"gap_{(sameDatabase ? "s" : "x")}", sameDatabase, CaptureMode.Row);
        await using var open = await driver.Source.OpenConnectionAsync();
        await using var transaction = await open.BeginTransactionAsync();
        await using (var insert = new NpgsqlCommand($"INSERT INTO {source} VALUES (1, 'open')", open, transaction))
        {
            await insert.ExecuteNonQueryAsync();
        }

        // Committed after the open transaction took its sequence number: the batch sees a gap in the sequence.
        await Source.ExecuteAsync($"INSERT INTO {source} VALUES (2, 'committed')");
        await driver.DrainAsync();
        Assert.Equal(1L, await Scalar<long>(driver.Target, $"SELECT count(*) FROM {target}"));

        await transaction.CommitAsync();
        await driver.DrainAsync();

        await AssertSameAsync(driver, source, target);
        Assert.Equal(2L, await Scalar<long>(driver.Target, $"SELECT count(*) FROM {target}"));
    }

    [Fact]
    public async Task Rolled_back_changes_leave_nothing_to_apply()
    {
        var (driver, source, _) = await SetUpAsync("rollback", false, CaptureMode.Row);
        await using var connection = await driver.Source.OpenConnectionAsync();
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await using var insert = new NpgsqlCommand($"INSERT INTO {source} SELECT g, 'x' FROM generate_series(1, 10) g", connection, transaction);
            await insert.ExecuteNonQueryAsync();
            await transaction.RollbackAsync();
        }

        Assert.Empty(await driver.DrainAsync());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Column_subset_and_where_copy_matching_rows_and_delete_rows_that_stop_matching(bool sameDatabase)
    {
        var name = $"subset_{(sameDatabase ? "s" : "x")}";
        await Source.ExecuteAsync($"""
            CREATE TABLE {name}_src (id int PRIMARY KEY, name text, email text, secret text, active boolean NOT NULL);
            """);
        var targetDb = sameDatabase ? database.DataSource : _other;
        await using (var create = targetDb.CreateCommand($"CREATE TABLE {name}_tgt (id int PRIMARY KEY, name text, email text)"))
        {
            await create.ExecuteNonQueryAsync();
        }

        var sync = SyncDriver.Define(
            name, $"src:public.{name}_src", $"{(sameDatabase ? "src" : "tgt")}:public.{name}_tgt",
            columns: ["id", "name", "email"], where: "active");
        var driver = await SyncDriver.InstallAsync(sync, database.DataSource, targetDb);
        await Source.ExecuteAsync($"INSERT INTO {name}_src SELECT g, 'n' || g, 'e' || g, 's', g % 2 = 0 FROM generate_series(1, 100) g");
        await driver.DrainAsync();
        await TableFingerprint.AssertEqualAsync(
            driver.Source, $"{name}_src", driver.Target, $"{name}_tgt", "id", "id, name, email", sourceWhere: "active");

        await Source.ExecuteAsync($"UPDATE {name}_src SET active = NOT active WHERE id <= 10; UPDATE {name}_src SET secret = 'only secret changed'");
        await driver.DrainAsync();

        await TableFingerprint.AssertEqualAsync(
            driver.Source, $"{name}_src", driver.Target, $"{name}_tgt", "id", "id, name, email", sourceWhere: "active");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Small_batches_read_rows_by_key_probe_from_an_indexed_source_and_by_join_from_one_without_an_index(bool indexed)
    {
        // Both ways of reading a small batch's source rows (one index probe per key; a join when no unique index on the
        // key exists to probe) must agree: composite key, column subset, row filter, key changes and deletes.
        var name = $"probe_{(indexed ? "i" : "n")}";
        await Source.ExecuteAsync($"""
            CREATE TABLE {name}_src (a int NOT NULL, b text NOT NULL, v text, secret text, keep boolean NOT NULL{(indexed ? ", PRIMARY KEY (a, b)" : "")});
            """);
        await using (var create = _other.CreateCommand($"CREATE TABLE {name}_tgt (a int, b text, v text, PRIMARY KEY (a, b))"))
        {
            await create.ExecuteNonQueryAsync();
        }

        var sync = SyncDriver.Define(
            name, $"src:public.{name}_src", $"tgt:public.{name}_tgt", columns: ["a", "b", "v"], key: ["a", "b"], where: "keep");
        var driver = await SyncDriver.InstallAsync(sync, database.DataSource, _other);
        Assert.Equal(indexed, driver.Plan.SmallBatchesProbeSource);

        await Source.ExecuteAsync($"INSERT INTO {name}_src SELECT g, 'k' || (g % 7), 'v' || g, 's', g % 3 <> 0 FROM generate_series(1, 300) g");
        await driver.DrainAsync();
        await TableFingerprint.AssertEqualAsync(driver.Source, $"{name}_src", driver.Target, $"{name}_tgt", "a, b", "a, b, v", sourceWhere: "keep");

        await Source.ExecuteAsync($"""
            UPDATE {name}_src SET keep = NOT keep WHERE a <= 30;
            UPDATE {name}_src SET b = b || '+', v = 'moved' WHERE a BETWEEN 31 AND 60;
            DELETE FROM {name}_src WHERE a BETWEEN 61 AND 90;
            UPDATE {name}_src SET secret = 'only the uncopied column changed' WHERE a > 90;
            """);
        var batches = await driver.DrainAsync();
        Assert.All(batches, b => Assert.True(b.DeltaRows <= BatchApplier.SmallBatchRows));
        await TableFingerprint.AssertEqualAsync(driver.Source, $"{name}_src", driver.Target, $"{name}_tgt", "a, b", "a, b, v", sourceWhere: "keep");
    }

    [Theory]
    [InlineData("d", true)]
    [InlineData("s", true)]
    [InlineData("actorsync_keys", false)]
    public async Task A_source_table_named_like_an_alias_of_the_apply_queries_replicates_exactly(string table, bool probed)
    {
        // The probe's subquery sees the source table by its own name beside the batch's keys: a table named like the
        // keys' alias would hide them (and match every row), so that one name is read by join instead.
        await Source.ExecuteAsync($"""
            CREATE SCHEMA alias_{table};
            CREATE TABLE alias_{table}.{table} (id int PRIMARY KEY, v text, keep boolean NOT NULL);
            """);
        await using (var create = _other.CreateCommand($"CREATE TABLE alias_{table}_tgt (id int PRIMARY KEY, v text)"))
        {
            await create.ExecuteNonQueryAsync();
        }

        var sync = SyncDriver.Define(
            $"alias_{table}", $"src:alias_{table}.{table}", $"tgt:public.alias_{table}_tgt", columns: ["id", "v"], where: $"{table}.keep");
        var driver = await SyncDriver.InstallAsync(sync, database.DataSource, _other);
        Assert.Equal(probed, driver.Plan.SmallBatchesProbeSource);
        await Source.ExecuteAsync($"INSERT INTO alias_{table}.{table} SELECT g, 'v' || g, true FROM generate_series(1, 50) g");
        await driver.DrainAsync();

        await Source.ExecuteAsync($"UPDATE alias_{table}.{table} SET v = 'changed' WHERE id = 7; UPDATE alias_{table}.{table} SET keep = false WHERE id = 8");
        await driver.DrainAsync();
        await TableFingerprint.AssertEqualAsync(
            driver.Source, $"alias_{table}.{table}", driver.Target, $"alias_{table}_tgt", "id", "id, v", sourceWhere: "keep");
    }

    [Fact]
    public async Task Hostile_identifiers_replicate_and_harm_nothing()
    {
        await Source.ExecuteAsync("""
            CREATE SCHEMA "Sales $actorsync$";
            CREATE TABLE "Sales $actorsync$"."x""; DROP TABLE y; --" ("select" int PRIMARY KEY, "Mixed Case" text, "ünï" text);
            CREATE TABLE y (v int);
            """);
        await using (var create = _other.CreateCommand("""CREATE TABLE "Ziel Tabelle" ("select" int PRIMARY KEY, "Mixed Case" text, "ünï" text)"""))
        {
            await create.ExecuteNonQueryAsync();
        }

        var sync = SyncDriver.Define("hostile", "src:\"Sales $actorsync$\".\"x\"\"; DROP TABLE y; --\"", "tgt:public.\"Ziel Tabelle\"");
        var driver = await SyncDriver.InstallAsync(sync, database.DataSource, _other);
        await Source.ExecuteAsync("""INSERT INTO "Sales $actorsync$"."x""; DROP TABLE y; --" VALUES (1, 'a', 'ö'), (2, 'b', '日本')""");
        await driver.DrainAsync();

        await TableFingerprint.AssertEqualAsync(
            driver.Source, "\"Sales $actorsync$\".\"x\"\"; DROP TABLE y; --\"", driver.Target, "\"Ziel Tabelle\"", "\"select\"");
        Assert.Equal("y", await Scalar<string>(driver.Source, "SELECT to_regclass('y')::text"));
    }

    [Fact]
    public async Task A_target_referenced_by_foreign_keys_is_upserted_so_cascades_never_fire()
    {
        await Source.ExecuteAsync("CREATE TABLE parent_src (id int PRIMARY KEY, v text); INSERT INTO parent_src VALUES (1, 'a'), (2, 'b')");
        await using (var command = _other.CreateCommand("""
            CREATE TABLE parent_tgt (id int PRIMARY KEY, v text);
            CREATE TABLE child (id int PRIMARY KEY, parent_id int REFERENCES parent_tgt ON DELETE CASCADE);
            """))
        {
            await command.ExecuteNonQueryAsync();
        }

        var driver = await SyncDriver.InstallAsync(SyncDriver.Define("parent", "src:public.parent_src", "tgt:public.parent_tgt"), database.DataSource, _other);
        Assert.False(driver.Plan.ReplaceRows);
        await Source.ExecuteAsync("UPDATE parent_src SET v = v");
        await driver.DrainAsync();
        await using (var command = _other.CreateCommand("INSERT INTO child VALUES (10, 1), (20, 2)"))
        {
            await command.ExecuteNonQueryAsync();
        }

        await Source.ExecuteAsync("UPDATE parent_src SET v = 'changed'");
        await driver.DrainAsync();

        await TableFingerprint.AssertEqualAsync(driver.Source, "parent_src", driver.Target, "parent_tgt", "id");
        Assert.Equal(2L, await Scalar<long>(driver.Target, "SELECT count(*) FROM child"));
    }

    [Fact]
    public async Task Large_and_small_batches_replace_rows_alike_with_a_composite_key()
    {
        await Source.ExecuteAsync("CREATE TABLE pair_src (a uuid, b timestamptz, v text, PRIMARY KEY (a, b))");
        await using (var command = _other.CreateCommand("CREATE TABLE pair_tgt (a uuid, b timestamptz, v text, PRIMARY KEY (a, b))"))
        {
            await command.ExecuteNonQueryAsync();
        }

        var sync = SyncDriver.Define("pair", "src:public.pair_src", "tgt:public.pair_tgt", batchSize: 100_000);
        var driver = await SyncDriver.InstallAsync(sync, database.DataSource, _other);
        await Source.ExecuteAsync(
            "INSERT INTO pair_src SELECT md5(g::text)::uuid, timestamptz '2024-01-01 00:00:00.123456+02' + g * interval '1 ms', 'v' || g " +
            $"FROM generate_series(1, {BatchApplier.SmallBatchRows + 2000}) g");
        var large = await driver.DrainAsync();
        await Source.ExecuteAsync("UPDATE pair_src SET v = 'changed' WHERE v LIKE 'v1%'; DELETE FROM pair_src WHERE v LIKE 'v2%'");
        await Source.ExecuteAsync("UPDATE pair_src SET b = b + interval '1 day' WHERE v LIKE 'v3%'");
        await driver.DrainAsync();

        Assert.True(large.Single().DeltaRows > BatchApplier.SmallBatchRows, "the first batch went through the stage of keys");
        await TableFingerprint.AssertEqualAsync(driver.Source, "pair_src", driver.Target, "pair_tgt", "a, b");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_large_batch_plans_with_fresh_statistics_and_waits_for_no_lock_to_get_them(bool sameDatabase)
    {
        var (driver, source, target) = await SetUpAsync($"large_{(sameDatabase ? "s" : "x")}", sameDatabase, CaptureMode.Row, batchSize: 200_000);
        await Source.ExecuteAsync($"INSERT INTO {source} SELECT g, 'v' || g FROM generate_series(1, {BatchApplier.LargeBatchRows + 1000}) g");
        await driver.DrainAsync();
        var analyzed = $"SELECT analyze_count FROM pg_stat_user_tables WHERE relid = '{driver.Plan.DeltaTable}'::regclass";
        await Eventually.AssertAsync(async () => Assert.True(await Scalar<long>(driver.Source, analyzed) >= 1, "the delta was analyzed"));
        var before = await Scalar<long>(driver.Source, analyzed);

        // Someone holds the lock ANALYZE needs (as autovacuum would): the batch goes on without fresh statistics.
        await using var holder = await database.DataSource.OpenConnectionAsync();
        await using var hold = await holder.BeginTransactionAsync();
        await using (var command = new NpgsqlCommand($"LOCK TABLE {driver.Plan.DeltaTable} IN SHARE UPDATE EXCLUSIVE MODE", holder, hold))
        {
            await command.ExecuteNonQueryAsync();
        }

        await Source.ExecuteAsync($"UPDATE {source} SET v = 'changed' WHERE id % 2 = 0; DELETE FROM {source} WHERE id % 2 = 1");
        var batches = await driver.DrainAsync();
        await hold.RollbackAsync();

        Assert.True(batches.Single().DeltaRows >= BatchApplier.LargeBatchRows, "one large batch");
        await AssertSameAsync(driver, source, target);
        await Task.Delay(TimeSpan.FromSeconds(1)); // statistics are reported asynchronously: give a wrong count time to show
        Assert.Equal(before, await Scalar<long>(driver.Source, analyzed));
    }

    [Theory]
    [InlineData("smallint", "smallint", 700)]
    [InlineData("integer", "bigint", 700)]
    [InlineData("bigint", "bigint", 200_000)]
    public async Task Appended_keys_go_straight_in_and_keys_inside_the_targets_range_are_replaced(string sourceType, string targetType, int batchSize)
    {
        var name = $"range_{sourceType}_{batchSize}";
        await Source.ExecuteAsync($"CREATE TABLE {name}_src (id {sourceType} PRIMARY KEY, v text)");
        await using (var command = _other.CreateCommand($"CREATE TABLE {name}_tgt (id {targetType} PRIMARY KEY, v text)"))
        {
            await command.ExecuteNonQueryAsync();
        }

        var driver = await SyncDriver.InstallAsync(
            SyncDriver.Define(name, $"src:public.{name}_src", $"tgt:public.{name}_tgt", batchSize: batchSize), database.DataSource, _other);
        Assert.True(driver.Plan.HasIntegerKey);
        await Source.ExecuteAsync($"INSERT INTO {name}_src SELECT g, 'v' || g FROM generate_series(-500, 500) g");
        await driver.DrainAsync();

        // Only new keys, above and below everything the target has: nothing to delete.
        await Source.ExecuteAsync(
            $"INSERT INTO {name}_src SELECT g, 'new' FROM generate_series(1000, 1500) g UNION ALL SELECT -g, 'new' FROM generate_series(1000, 1200) g");
        await driver.DrainAsync();
        await AssertSameAsync(driver, $"{name}_src", $"{name}_tgt");

        // New keys with one old key updated and one deleted at the far ends of the batch's range, and a key change.
        await Source.ExecuteAsync($"""
            INSERT INTO {name}_src SELECT g, 'newer' FROM generate_series(2000, 2100) g;
            UPDATE {name}_src SET v = 'changed' WHERE id = 1500;
            DELETE FROM {name}_src WHERE id = -1200;
            UPDATE {name}_src SET id = 3000 WHERE id = 0;
            """);
        await driver.DrainAsync();
        await AssertSameAsync(driver, $"{name}_src", $"{name}_tgt");
    }

    [Fact]
    public async Task A_plain_target_takes_batches_as_replaced_rows()
    {
        var (driver, _, _) = await SetUpAsync("replaced", false, CaptureMode.Row);

        Assert.True(driver.Plan.ReplaceRows);
    }

    private PostgresDatabaseFixture Source => database;

    private async Task<(SyncDriver Driver, string Source, string Target)> SetUpAsync(
        string name, bool sameDatabase, CaptureMode mode, int batchSize = 700)
    {
        var source = $"{name}_src";
        var target = $"{name}_tgt";
        await Source.ExecuteAsync($"CREATE TABLE {source} (id int PRIMARY KEY, v text)");
        var targetDb = sameDatabase ? database.DataSource : _other;
        await using (var command = targetDb.CreateCommand($"CREATE TABLE {target} (id int PRIMARY KEY, v text)"))
        {
            await command.ExecuteNonQueryAsync();
        }

        var sync = SyncDriver.Define(name, $"src:public.{source}", $"{(sameDatabase ? "src" : "tgt")}:public.{target}", batchSize: batchSize);
        return (await SyncDriver.InstallAsync(sync, database.DataSource, targetDb, mode), source, target);
    }

    private static Task AssertSameAsync(SyncDriver driver, string source, string target) =>
        TableFingerprint.AssertEqualAsync(driver.Source, source, driver.Target, target, "id");

    private static async Task<T> Scalar<T>(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
