using ActorSync.Tests.Support;

namespace ActorSync.Tests.Apply;

public sealed class SyncPlannerTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => database.ExecuteAsync("""
        CREATE TABLE IF NOT EXISTS ok_src (id int PRIMARY KEY, a text, b integer, c numeric(10,2), g int GENERATED ALWAYS AS (b * 2) STORED);
        CREATE TABLE IF NOT EXISTS nokey (id int, a text);
        CREATE TABLE IF NOT EXISTS nullable_key (id int, a text);
        CREATE TABLE IF NOT EXISTS t_missing_col (id int PRIMARY KEY, a text);
        CREATE TABLE IF NOT EXISTS t_bad_types (id int PRIMARY KEY, a integer, b text, c numeric(6,2));
        CREATE TABLE IF NOT EXISTS t_no_unique (id int, a text, b integer, c numeric(10,2));
        CREATE TABLE IF NOT EXISTS t_notnull_extra (id int PRIMARY KEY, a text, b integer, c numeric(10,2), must text NOT NULL);
        CREATE TABLE IF NOT EXISTS t_widened (id bigint PRIMARY KEY, a varchar, b numeric, c numeric, g int);
        CREATE OR REPLACE VIEW a_view AS SELECT 1 AS id;
        """);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_missing_source_is_named()
    {
        var problems = await ProblemsAsync(SyncDriver.Define("s1", "main:public.nothere", "main:public.ok_src"));

        Assert.Equal(["sync 's1': source table main:public.nothere does not exist"], problems);
    }

    [Theory]
    [InlineData("part_parent")]
    [InlineData("part_child")]
    public async Task Statement_capture_is_refused_in_a_partition_tree_and_row_capture_is_not(string source)
    {
        await database.ExecuteAsync("""
            CREATE TABLE IF NOT EXISTS part_parent (id int PRIMARY KEY, a text) PARTITION BY RANGE (id);
            CREATE TABLE IF NOT EXISTS part_child PARTITION OF part_parent FOR VALUES FROM (0) TO (1000);
            """);
        foreach (var mode in new[] { ActorSync.Capture.CaptureMode.Statement, ActorSync.Capture.CaptureMode.Auto })
        {
            var sync = SyncDriver.Define("p1", $"main:public.{source}", "main:public.ok_src") with { CaptureMode = mode };
            var problems = await ProblemsAsync(sync);
            Assert.Contains(
                $"sync 'p1': source table main:public.{source} is part of a partition or inheritance tree, where statement-level capture " +
                "misses writes made through another table of the tree; set capture-mode = row for this sync",
                problems);
        }

        var row = await SyncDriver.PlanAsync(
            SyncDriver.Define("p1", $"main:public.{source}", "main:public.ok_src") with { CaptureMode = ActorSync.Capture.CaptureMode.Row },
            database.DataSource, database.DataSource);
        Assert.DoesNotContain(row.Problems, p => p.Contains("partition", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_source_without_primary_key_needs_key()
    {
        var problems = await ProblemsAsync(SyncDriver.Define("s2", "main:public.nokey", "main:public.ok_src"));

        Assert.Contains(problems, p => p.Contains("sync 's2'", StringComparison.Ordinal) && p.Contains("has no primary key; set key = [...]", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_key_column_must_exist_and_be_not_null()
    {
        var missing = await ProblemsAsync(SyncDriver.Define("s3", "main:public.nokey", "main:public.ok_src", key: ["nope"]));
        var nullable = await ProblemsAsync(SyncDriver.Define("s4", "main:public.nullable_key", "main:public.ok_src", key: ["id"]));

        Assert.Contains("sync 's3': key column \"nope\" does not exist in source main:public.nokey", missing);
        Assert.Contains("sync 's4': key column \"id\" of source main:public.nullable_key is nullable; key columns must be NOT NULL", nullable);
    }

    [Fact]
    public async Task A_missing_target_fails_unless_create_target()
    {
        var problems = await ProblemsAsync(SyncDriver.Define("s5", "main:public.ok_src", "main:public.absent"));
        var created = await SyncDriver.PlanAsync(
            SyncDriver.Define("s6", "main:public.ok_src", "main:public.absent", createTarget: true), database.DataSource, database.DataSource);

        Assert.Equal(["sync 's5': target table main:public.absent does not exist; create it, or set create-target = true"], problems);
        Assert.True(created.Succeeded);
        Assert.Contains("\"id\" integer NOT NULL", created.Plan!.CreateTargetSql(), StringComparison.Ordinal);
        Assert.Contains("\"g\" integer GENERATED ALWAYS AS ((b * 2)) STORED", created.Plan.CreateTargetSql(), StringComparison.Ordinal);
        Assert.Contains("PRIMARY KEY (\"id\")", created.Plan.CreateTargetSql(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_missing_column_and_type_mismatch_is_listed()
    {
        var missing = await ProblemsAsync(SyncDriver.Define("s7", "main:public.ok_src", "main:public.t_missing_col"));
        var types = await ProblemsAsync(SyncDriver.Define("s8", "main:public.ok_src", "main:public.t_bad_types"));

        Assert.Equal(
        [
            "sync 's7': target main:public.t_missing_col has no column \"b\" (source type integer)",
            "sync 's7': target main:public.t_missing_col has no column \"c\" (source type numeric(10,2))",
        ], missing);
        Assert.Equal(
        [
            "sync 's8': column \"a\" has type text in source main:public.ok_src but integer in target main:public.t_bad_types",
            "sync 's8': column \"b\" has type integer in source main:public.ok_src but text in target main:public.t_bad_types",
            "sync 's8': column \"c\" has type numeric(10,2) in source main:public.ok_src but numeric(6,2) in target main:public.t_bad_types",
        ], types);
    }

    [Fact]
    public async Task A_target_needs_a_unique_key_and_values_for_its_not_null_columns()
    {
        var noUnique = await ProblemsAsync(SyncDriver.Define("s9", "main:public.ok_src", "main:public.t_no_unique"));
        var notNull = await ProblemsAsync(SyncDriver.Define("s10", "main:public.ok_src", "main:public.t_notnull_extra"));

        Assert.Contains(noUnique, p => p.StartsWith("sync 's9': target main:public.t_no_unique has no primary key or unique index on (\"id\")", StringComparison.Ordinal));
        Assert.Contains("sync 's10': target column \"must\" of main:public.t_notnull_extra is NOT NULL without a default, but the sync does not copy it", notNull);
    }

    [Fact]
    public async Task Widening_types_are_accepted_and_cast()
    {
        var result = await SyncDriver.PlanAsync(SyncDriver.Define("s11", "main:public.ok_src", "main:public.t_widened"), database.DataSource, database.DataSource);

        Assert.True(result.Succeeded, string.Join("; ", result.Problems));
        Assert.Contains(result.Plan!.Columns, c => c.Name == "id" && c.NeedsCast && c.TargetType == "bigint");
        Assert.DoesNotContain(result.Plan.Columns, c => c.Name == "g");
    }

    [Fact]
    public async Task Unknown_and_generated_columns_in_a_subset_are_named()
    {
        var problems = await ProblemsAsync(SyncDriver.Define("s12", "main:public.ok_src", "main:public.t_widened", columns: ["a", "zz", "g"]));

        Assert.Equal(
        [
            "sync 's12': column \"zz\" (in columns) does not exist in source main:public.ok_src",
            "sync 's12': column \"g\" (in columns) is generated; the target computes it, leave it out",
        ], problems);
    }

    [Fact]
    public async Task A_view_is_not_a_table()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => SyncDriver.PlanAsync(SyncDriver.Define("s13", "main:public.a_view", "main:public.ok_src"), database.DataSource, database.DataSource));

        Assert.Equal("\"public\".\"a_view\" is a view, not a table; only tables can be synced.", error.Message);
    }

    private async Task<IReadOnlyList<string>> ProblemsAsync(ActorSync.Configuration.SyncDefinition sync)
    {
        var result = await SyncDriver.PlanAsync(sync, database.DataSource, database.DataSource);
        Assert.False(result.Succeeded);
        return result.Problems;
    }
}
