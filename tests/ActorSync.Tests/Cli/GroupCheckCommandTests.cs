using ActorSync.Cli;
using ActorSync.Tests.Support;

namespace ActorSync.Tests.Cli;

/// <summary><c>check</c> and <c>run</c> with consistent groups (issue #19): the groups formed and why, warnings, refused cycles.</summary>
public sealed class GroupCheckCommandTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => database.ExecuteAsync("""
        CREATE TABLE IF NOT EXISTS orders (id int PRIMARY KEY, note text);
        CREATE TABLE IF NOT EXISTS order_lines (order_id int, line int, PRIMARY KEY (order_id, line));
        CREATE TABLE IF NOT EXISTS customers (id int PRIMARY KEY);
        CREATE TABLE IF NOT EXISTS orders_copy (id int PRIMARY KEY, note text);
        CREATE TABLE IF NOT EXISTS order_lines_copy (order_id int CONSTRAINT lines_order REFERENCES orders_copy, line int, PRIMARY KEY (order_id, line));
        CREATE TABLE IF NOT EXISTS customers_copy (id int PRIMARY KEY);
        CREATE TABLE IF NOT EXISTS cyc_x (id int PRIMARY KEY, y int);
        CREATE TABLE IF NOT EXISTS cyc_y (id int PRIMARY KEY, x int);
        CREATE TABLE IF NOT EXISTS cyc_x_copy (id int PRIMARY KEY, y int);
        CREATE TABLE IF NOT EXISTS cyc_y_copy (id int PRIMARY KEY, x int CONSTRAINT y_x REFERENCES cyc_x_copy);
        DO $$ BEGIN
          ALTER TABLE cyc_x_copy ADD CONSTRAINT x_y FOREIGN KEY (y) REFERENCES cyc_y_copy;
        EXCEPTION WHEN duplicate_object THEN NULL; END $$;
        """);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Check_lists_each_group_with_its_members_in_apply_order_why_and_the_warnings()
    {
        var other = await SharedPostgresServer.GetConnectionStringAsync(await database.CreateDatabaseAsync("other"));
        await using (var otherSource = Npgsql.NpgsqlDataSource.Create(other))
        {
            await EngineHarness.ExecuteAsync(otherSource, "CREATE TABLE customers (id int PRIMARY KEY)");
        }

        await database.ExecuteAsync("""
            CREATE TABLE IF NOT EXISTS orders_by_customer_copy (id int PRIMARY KEY, note text);
            ALTER TABLE orders_copy ADD COLUMN IF NOT EXISTS customer_id int;
            DO $$ BEGIN
              ALTER TABLE orders_copy ADD CONSTRAINT order_customer FOREIGN KEY (customer_id) REFERENCES customers_copy;
            EXCEPTION WHEN duplicate_object THEN NULL; END $$;
            """);
        using var config = ConfigFile.Write(
            new Dictionary<string, string> { ["db"] = database.ConnectionString, ["other"] = other },
            [
                "{ name = lines, source = \"db:public.order_lines\", target = \"db:public.order_lines_copy\" }",
                "{ name = orders, source = \"db:public.orders\", target = \"db:public.orders_copy\", where = \"id > 0\" }",
                "{ name = customers, source = \"other:public.customers\", target = \"db:public.customers_copy\" }",
                "{ name = a, source = \"db:public.orders\", target = \"db:public.orders_by_customer_copy\", group = pair }",
                "{ name = b, source = \"db:public.customers\", target = \"db:public.customers_copy2\", create-target = true, group = pair }",
            ]);

        var (exitCode, output, error) = await RunAsync("check", "--config", config.Path);

        Assert.True(exitCode == ExitCodes.Ok, error);
        Assert.Contains("group orders: orders, lines (apply order", output, StringComparison.Ordinal);
        Assert.Contains("why:      lines -> orders: constraint lines_order (db:public.order_lines_copy references db:public.orders_copy)", output, StringComparison.Ordinal);
        Assert.Contains("group pair: a, b (apply order", output, StringComparison.Ordinal);
        Assert.Contains("why:      a: group = pair", output, StringComparison.Ordinal);
        Assert.Contains("why:      b: group = pair", output, StringComparison.Ordinal);
        Assert.Contains(
            "warning: foreign key order_customer of db:public.orders_copy references db:public.customers_copy, but sync 'orders' reads database 'db' and sync 'customers' reads 'other'",
            output, StringComparison.Ordinal);
        Assert.Contains(
            "warning: foreign key lines_order of db:public.order_lines_copy references db:public.orders_copy, whose sync 'orders' has a where filter",
            output, StringComparison.Ordinal);
        Assert.DoesNotContain("group customers", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cycle_of_foreign_keys_that_are_not_deferrable_is_refused_by_check_and_run_with_exit_2()
    {
        using var config = ConfigFile.Write(
            new Dictionary<string, string> { ["db"] = database.ConnectionString },
            [
                "{ name = x, source = \"db:public.cyc_x\", target = \"db:public.cyc_x_copy\" }",
                "{ name = y, source = \"db:public.cyc_y\", target = \"db:public.cyc_y_copy\" }",
            ]);

        foreach (var command in new[] { "check", "run" })
        {
            var (exitCode, _, error) = await RunAsync(command, "--config", config.Path);

            Assert.Equal(ExitCodes.BadInput, exitCode);
            Assert.Contains(
                "the foreign keys of target tables db:public.cyc_x_copy, db:public.cyc_y_copy form a cycle (syncs x, y), and x_y on db:public.cyc_x_copy, y_x on db:public.cyc_y_copy are not DEFERRABLE",
                error, StringComparison.Ordinal);
        }

        Assert.Null(await database.ScalarAsync<string>("SELECT to_regclass('actorsync.delta_x')::text"));
    }

    [Fact]
    public async Task Syncs_of_one_group_that_read_different_databases_are_refused_at_the_setting()
    {
        var other = await SharedPostgresServer.GetConnectionStringAsync(await database.CreateDatabaseAsync("other"));
        using var config = ConfigFile.Write(
            new Dictionary<string, string> { ["db"] = database.ConnectionString, ["other"] = other },
            [
                "{ name = first, source = \"db:public.orders\", target = \"db:public.orders_copy\", group = shop }",
                "{ name = second, source = \"other:public.orders\", target = \"db:public.order_lines_copy\", group = shop }",
            ]);

        var (exitCode, _, error) = await RunAsync("check", "--config", config.Path);

        Assert.Equal(ExitCodes.BadInput, exitCode);
        Assert.Matches(@"actorsync\.conf:\d+:\d+: syncs\[1\]\.group: sync 'second' reads database 'other' and writes database 'db', but sync 'first' of group 'shop' reads 'db'", error);
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await ActorSyncCli.InvokeAsync(args, output, error);
        return (exitCode, output.ToString(), error.ToString());
    }
}
