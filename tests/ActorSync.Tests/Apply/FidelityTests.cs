using ActorSync.Capture;
using ActorSync.Tests.Support;
using Npgsql;

namespace ActorSync.Tests.Apply;

/// <summary>Issue 5, "Fidelity": every value round-trips exactly, whatever its type and size.</summary>
public sealed class FidelityTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>, IAsyncLifetime
{
    private NpgsqlDataSource _other = null!;

    public async Task InitializeAsync()
    {
        _other = NpgsqlDataSource.Create(await SharedPostgresServer.GetConnectionStringAsync(await database.CreateDatabaseAsync("tgt")));
        await database.ExecuteAsync(FidelityTables.Types);
        await ExecuteAsync(_other, FidelityTables.Types);
    }

    public async Task DisposeAsync() => await _other.DisposeAsync();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Every_type_round_trips_exactly(bool sameDatabase)
    {
        var name = sameDatabase ? "types_same" : "types_other";
        var driver = await InstallAsync(name, sameDatabase, FidelityTables.TypesDdl);
        Assert.False(driver.Plan.BinaryCopy && !sameDatabase, "an enum array cannot travel as binary between databases");

        await database.ExecuteAsync(FidelityTables.Rows.Replace("{0}", name + "_src", StringComparison.Ordinal));
        await driver.DrainAsync();
        await AssertEqualAsync(driver, name);

        await database.ExecuteAsync($"UPDATE {name}_src SET i4 = 7, t = t || '!' WHERE id = 1; DELETE FROM {name}_src WHERE id = 3");
        await driver.DrainAsync();
        await AssertEqualAsync(driver, name);
        // Generated columns are recomputed by the target, not copied.
        Assert.Equal(7m - 9223372036854775808m, await ScalarAsync<decimal>(driver.Target, $"SELECT total FROM {name}_tgt WHERE id = 1 AND part = 1"));
    }

    [Fact]
    public async Task Binary_copy_carries_portable_types_between_databases()
    {
        const string name = "binary_path";
        var driver = await InstallAsync(name, false, FidelityTables.PortableDdl);
        Assert.True(driver.Plan.BinaryCopy);

        await database.ExecuteAsync(FidelityTables.PortableRows.Replace("{0}", name + "_src", StringComparison.Ordinal));
        await driver.DrainAsync();

        await AssertEqualAsync(driver, name);
    }

    [Fact]
    public async Task Rows_far_over_8000_bytes_and_a_10_MB_bytea_arrive_whole()
    {
        const string name = "large";
        var driver = await InstallAsync(name, false, "CREATE TABLE {0} (id int PRIMARY KEY, big bytea, doc text)");
        await database.ExecuteAsync($"""
            INSERT INTO {name}_src
            SELECT 1, (SELECT string_agg(sha512(int4send(g)), '') FROM generate_series(1, 163840) g), repeat('x☃', 500000)
            """);
        await driver.DrainAsync();

        Assert.Equal(10485760, await ScalarAsync<int>(driver.Target, $"SELECT length(big) FROM {name}_tgt"));
        await AssertEqualAsync(driver, name);
    }

    [Fact]
    public async Task A_200_column_table_replicates()
    {
        const string name = "wide";
        var columns = string.Join(", ", Enumerable.Range(1, 199).Select(i => $"c{i} {(i % 3 == 0 ? "text" : i % 3 == 1 ? "integer" : "numeric")}"));
        var driver = await InstallAsync(name, false, "CREATE TABLE {0} (id int PRIMARY KEY, " + columns + ")");
        var values = string.Join(", ", Enumerable.Range(1, 199).Select(i => i % 3 == 0 ? $"'v{i}' || g" : i % 3 == 1 ? $"g + {i}" : $"g * {i}.5"));
        await database.ExecuteAsync($"INSERT INTO {name}_src SELECT g, {values} FROM generate_series(1, 300) g");
        await driver.DrainAsync();

        await AssertEqualAsync(driver, name);
    }

    private async Task<SyncDriver> InstallAsync(string name, bool sameDatabase, string ddl)
    {
        await database.ExecuteAsync(ddl.Replace("{0}", name + "_src", StringComparison.Ordinal));
        var target = sameDatabase ? database.DataSource : _other;
        await ExecuteAsync(target, ddl.Replace("{0}", name + "_tgt", StringComparison.Ordinal));
        var sync = SyncDriver.Define(name, $"src:public.{name}_src", $"{(sameDatabase ? "src" : "tgt")}:public.{name}_tgt");
        return await SyncDriver.InstallAsync(sync, database.DataSource, target, CaptureMode.Row);
    }

    private static async Task AssertEqualAsync(SyncDriver driver, string name)
    {
        var order = string.Join(", ", driver.Plan.Keys.Select(k => k.Quoted));
        await TableFingerprint.AssertEqualAsync(driver.Source, name + "_src", driver.Target, name + "_tgt", order);
    }

    private static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        return (T)Convert.ChangeType((await command.ExecuteScalarAsync())!, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }
}
