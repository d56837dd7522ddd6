using ActorSync.Apply;
using ActorSync.Capture;
using ActorSync.Tests.Support;
using Npgsql;

namespace ActorSync.Tests.Apply;

/// <summary>
/// Issue 5, "Fidelity": every value round-trips exactly, whatever its type and size; in trigger capture (the data path
/// driven batch by batch) and in WAL capture (issue #20: the engine streaming the source's slot).
/// </summary>
public sealed class FidelityTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>, IAsyncLifetime
{
    private NpgsqlDataSource _other = null!;
    private string _otherConnectionString = "";

    public async Task InitializeAsync()
    {
        _otherConnectionString = await SharedPostgresServer.GetConnectionStringAsync(await database.CreateDatabaseAsync("tgt"));
        _other = NpgsqlDataSource.Create(_otherConnectionString);
        await database.ExecuteAsync(FidelityTables.Types);
        await ExecuteAsync(_other, FidelityTables.Types);
    }

    public async Task DisposeAsync() => await _other.DisposeAsync();

    [Theory]
    [InlineData(false, "trigger")]
    [InlineData(true, "trigger")]
    [InlineData(false, "wal")]
    [InlineData(true, "wal")]
    public async Task Every_type_round_trips_exactly(bool sameDatabase, string capture)
    {
        var name = (sameDatabase ? "types_same_" : "types_other_") + capture;
        await using var driver = await InstallAsync(name, sameDatabase, FidelityTables.TypesDdl, capture);
        Assert.False(driver.Plan.BinaryCopy && !sameDatabase, "an enum array cannot travel as binary between databases");

        await database.ExecuteAsync(FidelityTables.Rows.Replace("{0}", name + "_src", StringComparison.Ordinal));
        await driver.AssertEqualAsync();

        await database.ExecuteAsync($"UPDATE {name}_src SET i4 = 7, t = t || '!' WHERE id = 1; DELETE FROM {name}_src WHERE id = 3");
        await driver.AssertEqualAsync();
        // Generated columns are recomputed by the target, not copied.
        Assert.Equal(7m - 9223372036854775808m, await ScalarAsync<decimal>(driver.Target, $"SELECT total FROM {name}_tgt WHERE id = 1 AND part = 1"));
    }

    [Theory]
    [InlineData("trigger")]
    [InlineData("wal")]
    public async Task Binary_copy_carries_portable_types_between_databases(string capture)
    {
        var name = "binary_path_" + capture;
        await using var driver = await InstallAsync(name, false, FidelityTables.PortableDdl, capture);
        Assert.True(driver.Plan.BinaryCopy);

        await database.ExecuteAsync(FidelityTables.PortableRows.Replace("{0}", name + "_src", StringComparison.Ordinal));

        await driver.AssertEqualAsync();
    }

    [Theory]
    [InlineData("trigger")]
    [InlineData("wal")]
    public async Task Rows_far_over_8000_bytes_and_a_10_MB_bytea_arrive_whole(string capture)
    {
        var name = "large_" + capture;
        await using var driver = await InstallAsync(name, false, "CREATE TABLE {0} (id int PRIMARY KEY, big bytea, doc text, n int)", capture);
        await database.ExecuteAsync($"""
            INSERT INTO {name}_src
            SELECT 1, (SELECT string_agg(sha512(int4send(g)), '') FROM generate_series(1, 163840) g), repeat('x☃', 500000), 0
            """);
        await driver.AssertEqualAsync();
        Assert.Equal(10485760, await ScalarAsync<int>(driver.Target, $"SELECT length(big) FROM {name}_tgt"));

        // An update that leaves the large values alone: in the WAL they are "unchanged TOAST", never sent again.
        await database.ExecuteAsync($"UPDATE {name}_src SET n = 1");
        await driver.AssertEqualAsync();
        Assert.Equal(10485760, await ScalarAsync<int>(driver.Target, $"SELECT length(big) FROM {name}_tgt WHERE n = 1"));
    }

    [Theory]
    [InlineData("trigger")]
    [InlineData("wal")]
    public async Task A_200_column_table_replicates(string capture)
    {
        var name = "wide_" + capture;
        var columns = string.Join(", ", Enumerable.Range(1, 199).Select(i => $"c{i} {(i % 3 == 0 ? "text" : i % 3 == 1 ? "integer" : "numeric")}"));
        await using var driver = await InstallAsync(name, false, "CREATE TABLE {0} (id int PRIMARY KEY, " + columns + ")", capture);
        var values = string.Join(", ", Enumerable.Range(1, 199).Select(i => i % 3 == 0 ? $"'v{i}' || g" : i % 3 == 1 ? $"g + {i}" : $"g * {i}.5"));
        await database.ExecuteAsync($"INSERT INTO {name}_src SELECT g, {values} FROM generate_series(1, 300) g");

        await driver.AssertEqualAsync();
    }

    /// <summary>
    /// Creates the tables and starts replicating them: trigger capture through <see cref="SyncDriver"/> (each
    /// <see cref="Replicated.AssertEqualAsync"/> drains the delta first), WAL capture through the engine.
    /// </summary>
    private async Task<Replicated> InstallAsync(string name, bool sameDatabase, string ddl, string capture)
    {
        var variant = CaptureVariant.For(capture);
        await variant.RequireAsync(database.DataSource);
        await database.ExecuteAsync(ddl.Replace("{0}", name + "_src", StringComparison.Ordinal));
        var target = sameDatabase ? database.DataSource : _other;
        await ExecuteAsync(target, ddl.Replace("{0}", name + "_tgt", StringComparison.Ordinal));
        var sync = SyncDriver.Define(name, $"{variant.Source}:public.{name}_src", $"{(sameDatabase ? variant.Source : "tgt")}:public.{name}_tgt");
        if (!variant.Wal)
        {
            var driver = await SyncDriver.InstallAsync(sync, database.DataSource, target, CaptureMode.Row);
            return new Replicated(name, driver.Plan, database.DataSource, target, driver, null, variant);
        }

        var plan = (await SyncDriver.PlanAsync(sync, database.DataSource, target)).Plan!;
        var engine = variant.Start(new Dictionary<string, string> { [variant.Source] = database.ConnectionString, ["tgt"] = _otherConnectionString }, [sync]);
        await EngineHarness.WaitForStateAsync(engine, name, ActorSync.Actors.SyncStates.Idle);
        return new Replicated(name, plan, database.DataSource, target, null, engine, variant);
    }

    /// <summary>One sync under test, in either capture mode.</summary>
    private sealed record Replicated(
        string Name, SyncPlan Plan, NpgsqlDataSource Source, NpgsqlDataSource Target, SyncDriver? Driver, ActorSync.Actors.SyncEngine? Engine, CaptureVariant Variant)
        : IAsyncDisposable
    {
        /// <summary>Waits for the target to catch up (trigger: drains the delta; WAL: until it equals the source) and compares.</summary>
        public async Task AssertEqualAsync()
        {
            var order = string.Join(", ", Plan.Keys.Select(k => k.Quoted));
            if (Driver is not null)
            {
                await Driver.DrainAsync();
                await TableFingerprint.AssertEqualAsync(Source, Name + "_src", Target, Name + "_tgt", order);
            }
            else
            {
                await Eventually.AssertAsync(() => TableFingerprint.AssertEqualAsync(Source, Name + "_src", Target, Name + "_tgt", order));
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (Engine is not null)
            {
                await Engine.DisposeAsync();
                await Variant.CleanUpAsync(Source);
            }
        }
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
