using ActorSync.Capture;
using ActorSync.Snapshot;
using ActorSync.Tests.Support;
using Npgsql;

namespace ActorSync.Tests.Snapshot;

/// <summary>
/// Targets that a foreign key references are never truncated: not by the first copy, not by a resync, not by a
/// replicated TRUNCATE (issue #19). Orders and their lines, with the foreign key on both sides.
/// </summary>
public sealed class ReferencedTargetTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>, IAsyncLifetime
{
    private static int _tests;

    // Each test has tables (and syncs) of its own: the fixture's databases are shared by the class.
    private readonly string _orders = "orders_" + Interlocked.Increment(ref _tests);

    private SourceAndTarget _databases = null!;

    private string Lines => _orders + "_lines";

    private string Schema => $"""
        CREATE TABLE {_orders} (id int PRIMARY KEY, customer text NOT NULL);
        CREATE TABLE {Lines} (order_id int NOT NULL REFERENCES {_orders} (id), line int, item text, PRIMARY KEY (order_id, line));
        """;

    private NpgsqlDataSource Target => _databases.Target;

    private DataSourceLeaser Leaser => _databases.Leaser;

    public async Task InitializeAsync()
    {
        _databases = await SourceAndTarget.CreateAsync(database);
        await database.ExecuteAsync(Schema + $"""
            INSERT INTO {_orders} SELECT g, 'c' || g FROM generate_series(1, 3000) g;
            INSERT INTO {Lines} SELECT o, l, 'item ' || o || '/' || l FROM generate_series(1, 3000) o, generate_series(1, 3) l;
            ANALYZE {_orders}; ANALYZE {Lines};
            """);
        await ExecuteAsync(Target, Schema);
    }

    public async Task DisposeAsync() => await _databases.DisposeAsync();

    [Fact]
    public async Task The_first_copy_of_a_referenced_parent_and_then_its_children_succeeds()
    {
        var orders = await InstallAsync(_orders);
        var lines = await InstallAsync(Lines);

        Assert.True(orders.Plan.KeepsTargetRows);
        Assert.False(lines.Plan.KeepsTargetRows);
        Assert.Equal(SnapshotRunner.Outcome.Copied, await SnapshotRunner.RunAsync(orders.Plan, Leaser, new SnapshotProgress(), false, default));
        Assert.Equal(SnapshotRunner.Outcome.Copied, await SnapshotRunner.RunAsync(lines.Plan, Leaser, new SnapshotProgress(), false, default));

        await TableFingerprint.AssertEqualAsync(database.DataSource, _orders, Target, _orders, "id");
        await TableFingerprint.AssertEqualAsync(database.DataSource, Lines, Target, Lines, "order_id, line");
    }

    [Fact]
    public async Task A_resync_of_a_parent_keeps_its_children_and_removes_only_rows_the_source_lacks()
    {
        var orders = await InstallAsync(_orders);
        var lines = await InstallAsync(Lines);
        await SnapshotRunner.RunAsync(orders.Plan, Leaser, new SnapshotProgress(), false, default);
        await SnapshotRunner.RunAsync(lines.Plan, Leaser, new SnapshotProgress(), false, default);
        await ExecuteAsync(Target, $"INSERT INTO {_orders} VALUES (-1, 'stray'); UPDATE {_orders} SET customer = 'drifted' WHERE id = 5");

        var outcome = await SnapshotRunner.RunAsync(orders.Plan, Leaser, new SnapshotProgress(), force: true, default);

        Assert.Equal(SnapshotRunner.Outcome.Copied, outcome);
        await TableFingerprint.AssertEqualAsync(database.DataSource, _orders, Target, _orders, "id");
        await TableFingerprint.AssertEqualAsync(database.DataSource, Lines, Target, Lines, "order_id, line");
    }

    [Fact]
    public async Task A_resync_of_a_parent_whose_removed_row_still_has_children_fails_without_removing_anything_and_finishes_once_they_are_gone()
    {
        var orders = await InstallAsync(_orders);
        var lines = await InstallAsync(Lines);
        await SnapshotRunner.RunAsync(orders.Plan, Leaser, new SnapshotProgress(), false, default);
        await SnapshotRunner.RunAsync(lines.Plan, Leaser, new SnapshotProgress(), false, default);
        await database.ExecuteAsync($"DELETE FROM {Lines} WHERE order_id = 7; DELETE FROM {_orders} WHERE id = 7");

        var refused = await Assert.ThrowsAsync<PostgresException>(
            () => SnapshotRunner.RunAsync(orders.Plan, Leaser, new SnapshotProgress(), force: true, default));
        Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, refused.SqlState);
        Assert.Equal(3L, await ScalarAsync(Target, $"SELECT count(*) FROM {Lines} WHERE order_id = 7"));
        Assert.Equal(1L, await ScalarAsync(Target, $"SELECT count(*) FROM {_orders} WHERE id = 7"));

        await lines.DrainAsync();
        Assert.Equal(SnapshotRunner.Outcome.Resumed, await SnapshotRunner.RunAsync(orders.Plan, Leaser, new SnapshotProgress(), false, default));
        await orders.DrainAsync();

        await TableFingerprint.AssertEqualAsync(database.DataSource, _orders, Target, _orders, "id");
        await TableFingerprint.AssertEqualAsync(database.DataSource, Lines, Target, Lines, "order_id, line");
    }

    [Fact]
    public async Task A_replicated_truncate_of_a_referenced_parent_deletes_its_rows_once_the_children_are_gone()
    {
        var orders = await InstallAsync(_orders);
        var lines = await InstallAsync(Lines);
        await SnapshotRunner.RunAsync(orders.Plan, Leaser, new SnapshotProgress(), false, default);
        await SnapshotRunner.RunAsync(lines.Plan, Leaser, new SnapshotProgress(), false, default);
        await database.ExecuteAsync($"TRUNCATE {_orders}, {Lines}; INSERT INTO {_orders} VALUES (1, 'again'), (9001, 'new')");

        // The parent first: its children still reference its rows on the target, and nothing cascades.
        var refused = await Assert.ThrowsAsync<PostgresException>(orders.DrainAsync);
        Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, refused.SqlState);
        Assert.Equal(9000L, await ScalarAsync(Target, $"SELECT count(*) FROM {Lines}"));

        var applied = await lines.DrainAsync();
        Assert.Contains(applied, r => r.Truncated);
        await orders.DrainAsync();

        await TableFingerprint.AssertEqualAsync(database.DataSource, _orders, Target, _orders, "id");
        await TableFingerprint.AssertEqualAsync(database.DataSource, Lines, Target, Lines, "order_id, line");
    }

    private async Task<SyncDriver> InstallAsync(string name)
    {
        var sync = SyncDriver.Define(name, $"src:public.{name}", $"tgt:public.{name}", batchSize: 5000) with { SnapshotParallelism = 3 };
        return await SyncDriver.InstallAsync(sync, database.DataSource, Target, CaptureMode.Row);
    }

    private static async Task<long> ScalarAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}
