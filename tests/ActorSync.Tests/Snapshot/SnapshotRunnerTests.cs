using ActorSync.Capture;
using ActorSync.Snapshot;
using ActorSync.Tests.Support;
using Npgsql;

namespace ActorSync.Tests.Snapshot;

public sealed class SnapshotRunnerTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>, IAsyncLifetime
{
    private SourceAndTarget _databases = null!;

    private NpgsqlDataSource Target => _databases.Target;

    private DataSourceLeaser Leaser => _databases.Leaser;

    public async Task InitializeAsync() => _databases = await SourceAndTarget.CreateAsync(database);

    public async Task DisposeAsync() => await _databases.DisposeAsync();

    [Theory]
    [InlineData("int_key", "id bigint PRIMARY KEY, v text", "g, md5(g::text)", "id")]
    [InlineData("uuid_key", "id uuid PRIMARY KEY, v text", "md5(g::text)::uuid, md5(g::text)", "id")]
    [InlineData("text_key", "a text, b int, v text, PRIMARY KEY (a, b)", "'k''\"' || (g % 97), g, md5(g::text)", "a, b")]
    public async Task Existing_rows_are_copied_in_parallel_key_ranges(string name, string columns, string values, string order)
    {
        await database.ExecuteAsync($"CREATE TABLE {name} ({columns}); INSERT INTO {name} SELECT {values} FROM generate_series(1, 60000) g; ANALYZE {name}");
        await ExecuteAsync(Target, $"CREATE TABLE {name} ({columns})");
        var driver = await InstallAsync(name);
        var progress = new SnapshotProgress();

        var outcome = await SnapshotRunner.RunAsync(driver.Plan, Leaser, progress, force: false, default);

        Assert.Equal(SnapshotRunner.Outcome.Copied, outcome);
        Assert.True(progress.RangesTotal > 1, $"{progress.RangesTotal} range(s)");
        Assert.Equal(progress.RangesTotal, progress.RangesDone);
        Assert.Equal(60000, progress.RowsCopied);
        Assert.Equal(0, Leaser.Outstanding);
        await TableFingerprint.AssertEqualAsync(database.DataSource, name, Target, name, order);
        Assert.Equal(SnapshotRunner.Outcome.AlreadyDone, await SnapshotRunner.RunAsync(driver.Plan, Leaser, new SnapshotProgress(), false, default));
    }

    [Fact]
    public async Task Writes_during_the_copy_are_neither_lost_nor_duplicated()
    {
        await database.ExecuteAsync("CREATE TABLE busy (id int PRIMARY KEY, v text, n int); INSERT INTO busy SELECT g, md5(g::text), 0 FROM generate_series(1, 200000) g; ANALYZE busy");
        await ExecuteAsync(Target, "CREATE TABLE busy (id int PRIMARY KEY, v text, n int)");
        var driver = await InstallAsync("busy");
        using var stop = new CancellationTokenSource();
        var writer = Task.Run(async () =>
        {
            var random = new Random(42);
            var writes = 0;
            while (!stop.IsCancellationRequested || writes < 50)
            {
                var id = random.Next(1, 260000);
                var sql = (writes % 4) switch
                {
                    0 => $"INSERT INTO busy VALUES ({id}, 'new', 1) ON CONFLICT (id) DO UPDATE SET n = busy.n + 1",
                    1 => $"UPDATE busy SET v = 'updated', n = n + 1 WHERE id = {id}",
                    2 => $"DELETE FROM busy WHERE id = {id}",
                    _ => $"UPDATE busy SET id = {id + 300000} WHERE id = {id}",
                };
                await database.ExecuteAsync(sql);
                writes++;
            }

            return writes;
        });

        await SnapshotRunner.RunAsync(driver.Plan, Leaser, new SnapshotProgress(), false, default);
        await stop.CancelAsync();
        var written = await writer;
        await driver.DrainAsync();

        Assert.True(written >= 50);
        await TableFingerprint.AssertEqualAsync(database.DataSource, "busy", Target, "busy", "id");
    }

    [Fact]
    public async Task A_copy_killed_half_way_resumes_with_the_ranges_not_done()
    {
        await database.ExecuteAsync("CREATE TABLE resumable (id int PRIMARY KEY, v text); INSERT INTO resumable SELECT g, repeat('x', 200) FROM generate_series(1, 400000) g; ANALYZE resumable");
        await ExecuteAsync(Target, "CREATE TABLE resumable (id int PRIMARY KEY, v text)");
        var driver = await InstallAsync("resumable", parallelism: 2);
        var first = new SnapshotProgress();
        using var kill = new CancellationTokenSource();
        var run = SnapshotRunner.RunAsync(driver.Plan, Leaser, first, false, kill.Token);
        while (first.RangesDone < 3 && !run.IsCompleted)
        {
            await Task.Delay(10);
        }

        await kill.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        var doneBefore = first.RangesDone;
        Assert.InRange(doneBefore, 3, first.RangesTotal - 1);

        var second = new SnapshotProgress();
        var outcome = await SnapshotRunner.RunAsync(driver.Plan, Leaser, second, false, default);

        Assert.Equal(SnapshotRunner.Outcome.Resumed, outcome);
        Assert.Equal(first.RangesTotal, second.RangesTotal);
        Assert.Equal(400000, second.RowsCopied);
        Assert.True(second.RowsPerSecond >= 0);
        await driver.DrainAsync();
        await TableFingerprint.AssertEqualAsync(database.DataSource, "resumable", Target, "resumable", "id");
    }

    [Fact]
    public async Task Resync_copies_again_from_scratch_and_removes_rows_the_source_never_had()
    {
        await database.ExecuteAsync("CREATE TABLE again (id int PRIMARY KEY, v text); INSERT INTO again SELECT g, 'v' FROM generate_series(1, 1000) g");
        await ExecuteAsync(Target, "CREATE TABLE again (id int PRIMARY KEY, v text)");
        var driver = await InstallAsync("again");
        await SnapshotRunner.RunAsync(driver.Plan, Leaser, new SnapshotProgress(), false, default);
        await ExecuteAsync(Target, "INSERT INTO again VALUES (-1, 'stray'); UPDATE again SET v = 'drifted' WHERE id = 5");

        var outcome = await SnapshotRunner.RunAsync(driver.Plan, Leaser, new SnapshotProgress(), force: true, default);

        Assert.Equal(SnapshotRunner.Outcome.Copied, outcome);
        await TableFingerprint.AssertEqualAsync(database.DataSource, "again", Target, "again", "id");
    }

    private async Task<SyncDriver> InstallAsync(string name, int parallelism = 4)
    {
        var sync = SyncDriver.Define(name, $"src:public.{name}", $"tgt:public.{name}", batchSize: 5000) with { SnapshotParallelism = parallelism };
        return await SyncDriver.InstallAsync(sync, database.DataSource, Target, CaptureMode.Row);
    }

    private static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}
