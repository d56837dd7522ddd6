using ActorSync.Cli;
using ActorSync.Tests.Support;
using Npgsql;

namespace ActorSync.Tests.Security;

/// <summary>
/// Issue 9, hostile identifiers: names that would be SQL if pasted (<c>x"; DROP TABLE y; --</c>), mixed case, Unicode and
/// reserved words, as schema, table, column and key names, written in HOCON by SQL's rules (unquoted parts fold to lower
/// case; quoted parts keep case and any character, <c>""</c> is a quote). They replicate exactly — snapshot split into key
/// ranges by hostile key values, then changes — and harm nothing, uninstall included.
/// </summary>
public sealed class HostileIdentifierTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>
{
    private const string Config = """
        syncs = [
          { name = inject, source = "src:public.\"x\"\"; DROP TABLE y; --\"", target = "tgt:\"x\"\"; DROP TABLE y; --\"" }
          { name = odd, source = "src:public.\"My \"\"Odd\"\" Table\"", target = "src:\"Odd Schema\".\"Tärget \"\"Odd\"\"\"", create-target = true }
          { name = folded, source = "src:Public.MixedCase", target = "tgt:PUBLIC.MIXEDCASE", create-target = true }
          { name = kept, source = "src:public.\"MixedCase\"", target = "tgt:public.\"MixedCase\"", create-target = true }
          { name = unicode, source = "src:\"ünïcødé\".\"表 ☃\"", target = "tgt:\"ünïcødé\".\"表 ☃\"", create-target = true }
          { name = reserved, source = "src:\"select\".\"from\"", target = "src:\"select\".\"where\"", create-target = true, key = [order], columns = [order, "\"group\""] }
        ]
        """;

    /// <summary>Each sync's source and target as SQL names, the database of its target, and its key.</summary>
    private static readonly (string Source, string Target, bool OtherDatabase, string Key, string Columns)[] Syncs =
    [
        ("public.\"x\"\"; DROP TABLE y; --\"", "public.\"x\"\"; DROP TABLE y; --\"", true, "\"select\"", "*"),
        ("public.\"My \"\"Odd\"\" Table\"", "\"Odd Schema\".\"Tärget \"\"Odd\"\"\"", false, "\"KEY\"", "*"),
        ("public.mixedcase", "public.mixedcase", true, "id", "*"),
        ("public.\"MixedCase\"", "public.\"MixedCase\"", true, "id", "*"),
        ("\"ünïcødé\".\"表 ☃\"", "\"ünïcødé\".\"表 ☃\"", true, "\"ключ\"", "*"),
        ("\"select\".\"from\"", "\"select\".\"where\"", false, "\"order\"", "\"order\", \"group\""),
    ];

    [Fact]
    public async Task Hostile_mixed_case_unicode_and_reserved_names_replicate_exactly_and_harm_nothing()
    {
        var targetConnectionString = await SharedPostgresServer.GetConnectionStringAsync(await database.CreateDatabaseAsync("tgt"));
        await using var target = NpgsqlDataSource.Create(targetConnectionString);
        await database.ExecuteAsync("""
            CREATE TABLE y (id int PRIMARY KEY); INSERT INTO y VALUES (1), (2);
            CREATE TABLE "x""; DROP TABLE y; --" ("select" int PRIMARY KEY, "a""b" text, "col; DROP TABLE y; --" text);
            INSERT INTO "x""; DROP TABLE y; --" VALUES (1, 'one', 'x'), (2, '"; DROP TABLE y; --', '''); DROP TABLE y; --');
            CREATE TABLE "My ""Odd"" Table" ("KEY" text PRIMARY KEY, "Value" text);
            -- Enough rows to be copied in key ranges whose bounds are these hostile keys.
            INSERT INTO "My ""Odd"" Table"
            SELECT 'k' || g || (ARRAY['''', '\', '"', '$$', '''); DROP TABLE y; --', ' ☃'])[1 + g % 6], 'v' || g FROM generate_series(1, 30000) g;
            ANALYZE "My ""Odd"" Table";
            CREATE SCHEMA "Odd Schema";
            CREATE TABLE mixedcase (id int PRIMARY KEY, v text); INSERT INTO mixedcase VALUES (1, 'lower');
            CREATE TABLE "MixedCase" (id int PRIMARY KEY, v text); INSERT INTO "MixedCase" VALUES (1, 'Mixed');
            CREATE SCHEMA "ünïcødé";
            CREATE TABLE "ünïcødé"."表 ☃" ("ключ" int PRIMARY KEY, "値" text); INSERT INTO "ünïcødé"."表 ☃" VALUES (1, '雪');
            CREATE SCHEMA "select";
            CREATE TABLE "select"."from" ("order" int NOT NULL, "group" text, "user" text); INSERT INTO "select"."from" VALUES (1, 'g', 'u');
            CREATE UNIQUE INDEX ON "select"."from" ("order");
            """);
        await EngineHarness.ExecuteAsync(target, """
            CREATE TABLE y (id int PRIMARY KEY); INSERT INTO y VALUES (1), (2);
            CREATE TABLE "x""; DROP TABLE y; --" ("select" int PRIMARY KEY, "a""b" text, "col; DROP TABLE y; --" text);
            CREATE SCHEMA "ünïcødé";
            """);
        var before = (await RelationsAsync(database.DataSource), await RelationsAsync(target));
        using var config = ConfigFile.Write(
            new Dictionary<string, string> { ["src"] = database.ConnectionString, ["tgt"] = targetConnectionString }, [], Config);

        await using (var run = ActorSyncProcess.Start(["run", "--config", config.Path]))
        {
            foreach (var sync in new[] { "inject", "odd", "folded", "kept", "unicode", "reserved" })
            {
                await run.WaitForOutputAsync($"Sync {sync}: caught up", TimeSpan.FromSeconds(90));
            }

            await AssertConvergedAsync(target);
            Assert.Contains("Sync odd: snapshot started", run.Output, StringComparison.Ordinal);
            await database.ExecuteAsync("""
                INSERT INTO "x""; DROP TABLE y; --" VALUES (3, E'back\\slash', '$$; DROP TABLE y; $$');
                UPDATE "x""; DROP TABLE y; --" SET "select" = 30 WHERE "select" = 3;
                DELETE FROM "x""; DROP TABLE y; --" WHERE "select" = 1;
                UPDATE "My ""Odd"" Table" SET "KEY" = '''); DROP TABLE y; -- renamed' WHERE "KEY" = 'k1\';
                DELETE FROM "My ""Odd"" Table" WHERE "KEY" LIKE 'k2%';
                INSERT INTO mixedcase VALUES (2, 'lower 2');
                UPDATE "MixedCase" SET v = 'Mixed, changed';
                INSERT INTO "ünïcødé"."表 ☃" VALUES (2, '☃☃');
                TRUNCATE "select"."from";
                INSERT INTO "select"."from" VALUES (7, 'after truncate', 'u');
                """);
            await AssertConvergedAsync(target);
            run.Terminate();
            Assert.Equal(ExitCodes.Ok, await run.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        }

        // Folding kept two tables apart that differ only in case, in both databases.
        Assert.Equal("lower", await database.ScalarAsync<string>("SELECT v FROM mixedcase WHERE id = 1"));
        await using (var command = target.CreateCommand("SELECT (SELECT v FROM mixedcase WHERE id = 1) || ' / ' || (SELECT v FROM \"MixedCase\" WHERE id = 1)"))
        {
            Assert.Equal("lower / Mixed, changed", (string)(await command.ExecuteScalarAsync())!);
        }

        var (exitCode, output) = await CliRun.InvokeAsync("uninstall", "--config", config.Path);
        Assert.True(exitCode == ExitCodes.Ok, output);

        // Harmless: y is whole in both databases, and nothing but the created targets was added or removed.
        Assert.Equal(2L, await database.ScalarAsync<long>("SELECT count(*) FROM y"));
        await using (var count = target.CreateCommand("SELECT count(*) FROM y"))
        {
            Assert.Equal(2L, (long)(await count.ExecuteScalarAsync())!);
        }

        Assert.Equal(
            before.Item1.Concat(["\"Odd Schema\".\"Tärget \"\"Odd\"\"\"", "\"select\".\"where\""]).Order(StringComparer.Ordinal),
            await RelationsAsync(database.DataSource));
        Assert.Equal(
            before.Item2.Concat(["\"MixedCase\"", "\"ünïcødé\".\"表 ☃\"", "mixedcase"]).Order(StringComparer.Ordinal),
            await RelationsAsync(target));
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal"));
    }

    private async Task AssertConvergedAsync(NpgsqlDataSource target) =>
        await Eventually.AssertAsync(async () =>
        {
            foreach (var (source, targetTable, otherDatabase, key, columns) in Syncs)
            {
                await TableFingerprint.AssertEqualAsync(database.DataSource, source, otherDatabase ? target : database.DataSource, targetTable, key, columns);
            }
        });

    /// <summary>Every table and view outside the system schemas and ActorSync's, by its SQL name.</summary>
    private static async Task<List<string>> RelationsAsync(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT c.oid::regclass::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace " +
            "WHERE c.relkind IN ('r', 'p', 'v') AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'actorsync') AND n.nspname NOT LIKE 'pg_toast%'");
        var names = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            names.Add(reader.GetString(0));
        }

        return [.. names.Order(StringComparer.Ordinal)];
    }
}
