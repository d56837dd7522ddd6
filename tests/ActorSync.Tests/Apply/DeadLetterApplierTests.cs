using ActorSync.Capture;
using ActorSync.Configuration;
using ActorSync.State;
using ActorSync.Tests.Support;
using Npgsql;

namespace ActorSync.Tests.Apply;

/// <summary>on-apply-error = dead-letter on the data path (issue #19): poison rows isolated, the rest applied.</summary>
public sealed class DeadLetterApplierTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>, IAsyncLifetime
{
    private static int _tests;

    // Each test has a table (and sync) of its own: the fixture's databases are shared by the class.
    private readonly string _table = "poison_" + Interlocked.Increment(ref _tests);

    private SourceAndTarget _databases = null!;

    private NpgsqlDataSource Target => _databases.Target;

    public async Task InitializeAsync() => _databases = await SourceAndTarget.CreateAsync(database);

    public async Task DisposeAsync() => await _databases.DisposeAsync();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_poison_row_is_dead_lettered_while_the_rest_flows_and_applies_once_the_target_is_fixed(bool sameDatabase)
    {
        var target = sameDatabase ? database.DataSource : Target;
        var targetTable = sameDatabase ? _table + "_copy" : _table;
        await database.ExecuteAsync($"CREATE TABLE {_table} (id int PRIMARY KEY, v int NOT NULL)");
        await ExecuteAsync(target, $"CREATE TABLE {targetTable} (id int PRIMARY KEY, v int NOT NULL CONSTRAINT small CHECK (v < 100))");
        var driver = await InstallAsync(targetTable, sameDatabase);
        await database.ExecuteAsync($"INSERT INTO {_table} SELECT g, CASE WHEN g IN (7, 250) THEN 150 ELSE g % 50 END FROM generate_series(1, 500) g");

        var results = await driver.DrainDeadLetteringAsync();

        Assert.Equal(2, results.Sum(r => r.DeadLettered));
        Assert.Equal(498L, await ScalarAsync(target, $"SELECT count(*) FROM {targetTable}"));
        await using (var connection = await target.OpenConnectionAsync())
        {
            var letters = await DeadLetterStore.ListAsync(connection, driver.Plan.Sync.SqlName, null, default);
            Assert.Equal(["{\"id\": 250}", "{\"id\": 7}"], letters.Select(l => l.Key).Order(StringComparer.Ordinal));
            Assert.All(letters, l => Assert.Equal(PostgresErrorCodes.CheckViolation, l.SqlState));
            Assert.All(letters, l => Assert.Contains("small", l.Error, StringComparison.Ordinal));
            Assert.All(letters, l => Assert.Equal(1, l.Attempts));
        }

        // The rest keeps flowing; a poison row that changes again is tried again (and refused again: one more attempt).
        await database.ExecuteAsync($"UPDATE {_table} SET v = 151 WHERE id = 7; UPDATE {_table} SET v = 1 WHERE id = 1");
        await driver.DrainDeadLetteringAsync();
        Assert.Equal(1L, await ScalarAsync(target, $"SELECT v FROM {targetTable} WHERE id = 1"));
        Assert.Equal(2L, await ScalarAsync(target, $"SELECT attempts::bigint FROM actorsync.dead_letters WHERE key = '{{\"id\": 7}}'"));

        // Fix the target; the next change of each poison row applies it and clears its dead letter.
        await ExecuteAsync(target, $"ALTER TABLE {targetTable} DROP CONSTRAINT small");
        await database.ExecuteAsync($"UPDATE {_table} SET v = v + 1 WHERE id IN (7, 250)");
        var after = await driver.DrainDeadLetteringAsync();

        Assert.Equal(0L, after[^1].DeadLetters);
        Assert.Equal(0L, await ScalarAsync(target, "SELECT count(*) FROM actorsync.dead_letters"));
        await TableFingerprint.AssertEqualAsync(database.DataSource, _table, target, targetTable, "id");
    }

    [Fact]
    public async Task A_delete_the_target_refuses_is_dead_lettered_too()
    {
        await database.ExecuteAsync($"CREATE TABLE {_table} (id int PRIMARY KEY, v int NOT NULL); INSERT INTO {_table} SELECT g, g FROM generate_series(1, 20) g");
        await ExecuteAsync(Target, $"""
            CREATE TABLE {_table} (id int PRIMARY KEY, v int NOT NULL);
            CREATE TABLE {_table}_pin (id int REFERENCES {_table} (id));
            """);
        var driver = await InstallAsync(_table, sameDatabase: false);
        await database.ExecuteAsync($"UPDATE {_table} SET v = v");
        await driver.DrainDeadLetteringAsync();
        await ExecuteAsync(Target, $"INSERT INTO {_table}_pin VALUES (3)");

        await database.ExecuteAsync($"DELETE FROM {_table} WHERE id BETWEEN 1 AND 5");
        var results = await driver.DrainDeadLetteringAsync();

        Assert.Equal(1, results.Sum(r => r.DeadLettered));
        Assert.Equal(16L, await ScalarAsync(Target, $"SELECT count(*) FROM {_table}"));
        Assert.Equal(
            PostgresErrorCodes.ForeignKeyViolation,
            (string?)await ScalarObjectAsync(Target, "SELECT sqlstate FROM actorsync.dead_letters WHERE key = '{\"id\": 3}'"));
    }

    private async Task<SyncDriver> InstallAsync(string targetTable, bool sameDatabase)
    {
        var sync = SyncDriver.Define(_table, $"src:public.{_table}", $"{(sameDatabase ? "src" : "tgt")}:public.{targetTable}", batchSize: 1000)
            with
        { OnApplyError = OnApplyError.DeadLetter };
        return await SyncDriver.InstallAsync(sync, database.DataSource, sameDatabase ? database.DataSource : Target, CaptureMode.Row);
    }

    private static async Task<long> ScalarAsync(NpgsqlDataSource dataSource, string sql) =>
        Convert.ToInt64(await ScalarObjectAsync(dataSource, sql), System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<object?> ScalarObjectAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        return await command.ExecuteScalarAsync();
    }

    private static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}
