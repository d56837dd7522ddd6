using ActorSync.Cli;
using ActorSync.Tests.Support;

namespace ActorSync.Tests.Cli;

public sealed class CheckCommandTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => database.ExecuteAsync("""
        CREATE TABLE IF NOT EXISTS items (id int PRIMARY KEY, name text, price numeric);
        CREATE TABLE IF NOT EXISTS items_copy (id int PRIMARY KEY, name text, price numeric);
        CREATE TABLE IF NOT EXISTS keyless (a int, b text);
        """);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_good_configuration_prints_the_plan_and_exits_0()
    {
        using var config = Config(["{ name = items, source = \"db:public.items\", target = \"db:public.items_copy\" }"]);

        var (exitCode, output, error) = await RunAsync("check", "--config", config.Path);

        Assert.True(exitCode == ExitCodes.Ok, error);
        Assert.Contains("sync items: db:public.items -> db:public.items_copy", output, StringComparison.Ordinal);
        Assert.Contains("key:      id (integer)", output, StringComparison.Ordinal);
        Assert.Contains("first run", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dry_run_prints_the_sql_and_changes_nothing()
    {
        using var config = Config(["{ name = items_dry, source = \"db:public.items\", target = \"db:public.made_up\", create-target = true }"]);

        var (exitCode, output, _) = await RunAsync("check", "--config", config.Path, "--dry-run");

        Assert.Equal(ExitCodes.Ok, exitCode);
        Assert.Contains("CREATE TABLE IF NOT EXISTS \"actorsync\".\"delta_items_dry\"", output, StringComparison.Ordinal);
        Assert.Contains("CREATE TRIGGER \"actorsync_items_dry_capture\" AFTER INSERT OR UPDATE OR DELETE ON \"public\".\"items\"", output, StringComparison.Ordinal);
        Assert.Contains("CREATE TABLE IF NOT EXISTS \"public\".\"made_up\"", output, StringComparison.Ordinal);
        Assert.Null(await database.ScalarAsync<string>("SELECT to_regnamespace('actorsync')::text"));
        Assert.Null(await database.ScalarAsync<string>("SELECT to_regclass('made_up')::text"));
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM pg_trigger WHERE tgrelid = 'items'::regclass AND NOT tgisinternal"));
    }

    [Fact]
    public async Task Every_problem_is_listed_with_exit_code_2()
    {
        using var config = Config([
            "{ name = one, source = \"db:public.nothere\", target = \"db:public.items_copy\" }",
            "{ name = two, source = \"db:public.keyless\", target = \"db:public.keyless_copy\" }",
            "{ name = three, source = \"db:public.items\", target = \"db:public.items_copy2\" }",
        ]);

        var (exitCode, _, error) = await RunAsync("check", "--config", config.Path);

        Assert.Equal(ExitCodes.BadInput, exitCode);
        Assert.Contains("sync 'one': source table db:public.nothere does not exist", error, StringComparison.Ordinal);
        Assert.Contains("sync 'two': source table db:public.keyless has no primary key", error, StringComparison.Ordinal);
        Assert.Contains("sync 'three': target table db:public.items_copy2 does not exist", error, StringComparison.Ordinal);
        Assert.Contains("problems found; nothing was changed", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_where_that_is_not_valid_sql_is_refused_by_the_server()
    {
        using var config = Config(["{ name = bad_where, source = \"db:public.items\", target = \"db:public.items_copy\", where = \"price >>> 1\" }"]);

        var (exitCode, _, error) = await RunAsync("check", "--config", config.Path);

        Assert.Equal(ExitCodes.BadInput, exitCode);
        Assert.Contains("sync 'bad_where': where = \"price >>> 1\" is not a valid condition on db:public.items", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_where_that_tries_to_end_the_statement_is_refused()
    {
        using var config = Config(["{ name = inject, source = \"db:public.items\", target = \"db:public.items_copy\", where = \"true); DROP TABLE items; --\" }"]);

        var (exitCode, _, error) = await RunAsync("check", "--config", config.Path);

        Assert.Equal(ExitCodes.BadInput, exitCode);
        Assert.Contains("sync 'inject': where", error, StringComparison.Ordinal);
        Assert.Equal("items", await database.ScalarAsync<string>("SELECT to_regclass('items')::text"));
    }

    [Fact]
    public async Task A_wrong_password_names_the_database_and_never_shows_the_password()
    {
        var wrong = ConfigFile.WithPassword(database.ConnectionString, "not-the-password-42");
        using var config = ConfigFile.Write(new Dictionary<string, string> { ["db"] = wrong }, ["{ name = items, source = \"db:public.items\", target = \"db:public.items_copy\" }"]);

        var (exitCode, output, error) = await RunAsync("check", "--config", config.Path);

        Assert.Equal(ExitCodes.BadInput, exitCode);
        Assert.Contains("database 'db': password authentication failed for user", error, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-password-42", output + error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_host_names_the_database_and_the_host()
    {
        var unreachable = new Npgsql.NpgsqlConnectionStringBuilder(database.ConnectionString) { Host = "127.0.0.1", Port = 1, Timeout = 3 }.ConnectionString;
        using var config = ConfigFile.Write(new Dictionary<string, string> { ["db"] = unreachable }, ["{ name = items, source = \"db:public.items\", target = \"db:public.items_copy\" }"]);

        var (exitCode, _, error) = await RunAsync("check", "--config", config.Path);

        Assert.Equal(ExitCodes.BadInput, exitCode);
        Assert.Contains("database 'db': cannot reach 127.0.0.1:1", error, StringComparison.Ordinal);
    }

    private ConfigFile Config(IEnumerable<string> syncs) =>
        ConfigFile.Write(new Dictionary<string, string> { ["db"] = database.ConnectionString }, syncs);

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await ActorSyncCli.InvokeAsync(args, output, error);
        return (exitCode, output.ToString(), error.ToString());
    }
}
