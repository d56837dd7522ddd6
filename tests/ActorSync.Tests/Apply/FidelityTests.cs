using ActorSync.Capture;
using ActorSync.Tests.Support;
using Npgsql;

namespace ActorSync.Tests.Apply;

/// <summary>Issue 5, "Fidelity": every value round-trips exactly, whatever its type and size.</summary>
public sealed class FidelityTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>, IAsyncLifetime
{
    private const string TypesDdl = """
        CREATE TABLE IF NOT EXISTS {0} (
            id bigint NOT NULL, part smallint NOT NULL,
            i2 smallint, i4 integer, i8 bigint,
            n numeric, n_fixed numeric(12, 4),
            f4 real, f8 double precision,
            t text, vc varchar(20), ch char(3),
            b bytea, flag boolean,
            d date, tm time, tmtz timetz, ts timestamp, tstz timestamptz, iv interval,
            u uuid, j json, jb jsonb,
            ai integer[], at text[], a2 integer[][],
            m mood, dm positive_int, moods mood[],
            addr inet, net cidr, mac macaddr, pt point, r int4range, tr tstzrange, bits bit varying(16), tsv tsvector,
            total numeric GENERATED ALWAYS AS (coalesce(i4, 0)::numeric + coalesce(i8, 0)) STORED,
            PRIMARY KEY (id, part)
        )
        """;

    private const string Types = """
        DO $$ BEGIN
            CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy', 'ünïcode ☃');
            CREATE DOMAIN positive_int AS integer CHECK (VALUE > 0);
        EXCEPTION WHEN duplicate_object THEN NULL; END $$;
        """;

    private const string Rows = """
        INSERT INTO {0} (id, part, i2, i4, i8, n, n_fixed, f4, f8, t, vc, ch, b, flag, d, tm, tmtz, ts, tstz, iv, u, j, jb,
                         ai, at, a2, m, dm, moods, addr, net, mac, pt, r, tr, bits, tsv) VALUES
        (1, 1, -32768, -2147483648, -9223372036854775808,
         ('1' || repeat('0', 1000) || '.' || repeat('9', 1000))::numeric, 12345678.1234,
         '-0'::real, '-0'::float8, 'plain', 'twenty characters!!!', 'abc',
         '\x00ff10'::bytea, true, '4713-01-01 BC', '24:00:00', '23:59:59.999999+14', '0001-01-01 00:00:00', '294276-12-31 23:59:59.999999+00',
         '-178000000 years 1 mon -1 day 00:00:00.000001', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
         '{"b": 1,   "a": [1, 2.50, "x"], "b": 2}', '{"nested": {"deep": [null, true, 1e40]}}',
         '{1,NULL,3}', '{"with \"quotes\"","NULL",NULL,""}', '{{1,2},{3,4}}', 'ünïcode ☃', 5, '{sad,happy}',
         '2001:db8::1/64', '10.0.0.0/8', '08:00:2b:01:02:03', '(1.5,-2.25)', '[1,10)', '[2024-01-01,infinity)', B'1011', 'a:1 fat:2 cat:3'),
        (1, 2, 32767, 2147483647, 9223372036854775807, 'NaN', -0.0001,
         'NaN'::real, 'Infinity'::float8, E'tab\there\nnewline \\ backslash ''quote'' 👩‍👩‍👧 עברית e\u0301', '', ' ',
         '', false, 'infinity', '00:00:00', '00:00:00-15:59', 'infinity', '-infinity', '0', '00000000-0000-0000-0000-000000000000',
         '[]', '{}', '{}', '{}', '{}', NULL, NULL, NULL, NULL, NULL, NULL, '(0,0)', 'empty', 'empty', B'', ''),
        (2, 1, 0, 0, 0, '-1e-300'::numeric, 0, '-Infinity'::real, 1.7976931348623157e308, repeat('long ☃ ', 2000), NULL, NULL,
         NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
         NULL, NULL, NULL, NULL),
        (3, 1, NULL, NULL, NULL, NULL, NULL, 1.4e-45, 4.9e-324, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
         NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)
        """;

    private NpgsqlDataSource _other = null!;

    public async Task InitializeAsync()
    {
        _other = NpgsqlDataSource.Create(await SharedPostgresServer.GetConnectionStringAsync(await database.CreateDatabaseAsync("tgt")));
        await database.ExecuteAsync(Types);
        await ExecuteAsync(_other, Types);
    }

    public async Task DisposeAsync() => await _other.DisposeAsync();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Every_type_round_trips_exactly(bool sameDatabase)
    {
        var name = sameDatabase ? "types_same" : "types_other";
        var driver = await InstallAsync(name, sameDatabase, TypesDdl);
        Assert.False(driver.Plan.BinaryCopy && !sameDatabase, "an enum array cannot travel as binary between databases");

        await database.ExecuteAsync(Rows.Replace("{0}", name + "_src", StringComparison.Ordinal));
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
        var driver = await InstallAsync(name, false, """
            CREATE TABLE {0} (id bigint PRIMARY KEY, n numeric, f8 double precision, t text, b bytea, tstz timestamptz,
                              j json, ai integer[], m mood, dm positive_int)
            """);
        Assert.True(driver.Plan.BinaryCopy);

        await database.ExecuteAsync($$"""
            INSERT INTO {{name}}_src VALUES
              (1, 'NaN', '-0', 'ü ☃', '\x00'::bytea, 'infinity', '{"a" : 1}', '{1,NULL}', 'happy', 3),
              (2, 123456789012345678901234567890.123456789, 'NaN', NULL, NULL, '2024-02-29 12:00+05:30', 'null', '{}', NULL, NULL)
            """);
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
