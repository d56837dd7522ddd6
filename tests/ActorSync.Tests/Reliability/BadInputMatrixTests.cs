using ActorSync.Cli;
using ActorSync.Tests.Support;
using Npgsql;

namespace ActorSync.Tests.Reliability;

/// <summary>
/// Issue 9, "a bad-input matrix": one test per kind of bad input. Each runs <c>check</c> and <c>run</c>, asserts exit code
/// 2 and a message naming the thing at fault (file, line and column for HOCON; the sync, table or column otherwise), and
/// that nothing was installed: every configuration also holds a good sync, which a half-done <c>run</c> would have set up.
/// The database that goes away after start is <see cref="DatabaseGoneTests"/>.
/// </summary>
public sealed class BadInputMatrixTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>, IAsyncLifetime
{
    private const string GoodSync = "{ name = good, source = \"main:public.good\", target = \"main:public.good_copy\", create-target = true }";

    public Task InitializeAsync() => database.ExecuteAsync("""
        CREATE TABLE IF NOT EXISTS good (id int PRIMARY KEY, v text);
        CREATE TABLE IF NOT EXISTS items (id int PRIMARY KEY, name text, n int);
        CREATE TABLE IF NOT EXISTS items_copy (id int PRIMARY KEY, name text, n int);
        CREATE TABLE IF NOT EXISTS items_point (id int PRIMARY KEY, name text, n point);
        CREATE TABLE IF NOT EXISTS keyless (a int, b text);
        """);

    public Task DisposeAsync() => Task.CompletedTask;

    // ---- Malformed HOCON: the file, line and column, and what was expected there.

    [Fact]
    public Task An_object_that_is_never_closed() => RefusedAsync(
        Document(tail: ""), "{file}:7:1: expected '}' to close the object opened at {file}:1:11, found the end of the input");

    [Fact]
    public Task A_closing_brace_without_an_opening_one() => RefusedAsync(
        Document(tail: "}\n}\n"), "{file}:8:1: found '}' without a matching '{'");

    [Fact]
    public Task An_unterminated_string() => RefusedAsync(
        Document("{ name = bad, source = \"main:public.items, target = main:public.items_copy }"), "{file}:6:28: a quoted string has an unescaped");

    [Fact]
    public Task An_unterminated_triple_quoted_string() => RefusedAsync(
        Document("{ name = bad, source = \"main:public.items\", target = \"main:public.items_copy\", where = \"\"\"n > 1 }"),
        "{file}:6:92: a triple-quoted string is not closed: expected '\"\"\"'");

    [Fact]
    public Task An_invalid_escape_in_a_string() => RefusedAsync(
        Document("{ name = bad, source = \"main:public.items\", target = \"main:public.items_copy\", where = \"name = 'a\\q'\" }"),
        "{file}:6:92: expected one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX in a quoted string, found '\\q'");

    [Fact]
    public Task A_key_without_a_separator() => RefusedAsync(
        Document("{ name bad, source = \"main:public.items\", target = \"main:public.items_copy\" }"),
        "{file}:6:15: expected ':', '=', '+=' or '{' after the key '\"name bad\"', found ','");

    [Fact]
    public Task A_substitution_of_a_setting_that_does_not_exist() => RefusedAsync(
        Document("{ name = bad, source = ${actorsync.no-such-setting}, target = \"main:public.items_copy\" }"),
        "{file}:6:28: could not resolve ${actorsync.no-such-setting}: no value at 'actorsync.no-such-setting'");

    [Fact]
    public Task A_substitution_cycle() => RefusedAsync(
        Document("{ name = bad, source = ${actorsync.x}, target = \"main:public.items_copy\" }", extra: "  x = ${actorsync.y}\n  y = ${actorsync.x}\n"),
        "could not resolve ${actorsync.", "it is part of a cycle: ${actorsync.x} ({file}:6:28) -> ${actorsync.y} ({file}:8:7) -> ${actorsync.x} ({file}:9:7)");

    [Fact]
    public Task A_required_include_that_does_not_exist() => RefusedAsync(
        Document(extra: "  include required(\"no-such-file.conf\")\n"), "{file}:7:3: required include \"no-such-file.conf\" was not found");

    // ---- Settings: the setting's path and where it is, with a suggestion when one is close.

    [Fact]
    public Task An_unknown_key_gets_a_suggestion() => RefusedAsync(
        Document("{ name = bad, sorce = \"main:public.items\", target = \"main:public.items_copy\" }"),
        "{file}:6:27: syncs[1].sorce: unknown key (did you mean 'source'?)", "{file}:6:5: syncs[1].source: is required");

    [Fact]
    public Task A_missing_required_key() => RefusedAsync(
        Document("{ name = bad, source = \"main:public.items\" }"),
        "{file}:6:5: syncs[1].target: is required: \"database:schema.table\", such as \"main:public.orders\"");

    [Fact]
    public Task A_connection_string_from_a_variable_that_is_not_set() => RefusedAsync(
        Document(databases: $"main {{ connection-string = {ConfigFile.Quote(database.ConnectionString)} }}, other {{ connection-string = ${{?ACTORSYNC_TEST_NO_SUCH_VARIABLE}} }}"),
        "{file}:2:",
        "databases.other.connection-string: is required", "that variable is not set");

    [Fact]
    public Task An_unknown_database_name_in_a_sync() => RefusedAsync(
        Document("{ name = bad, source = \"mian:public.items\", target = \"main:public.items_copy\" }"),
        "{file}:6:28: syncs[1].source: unknown database 'mian' (did you mean 'main'?); configured: main");

    [Fact]
    public Task Two_syncs_writing_the_same_target_table() => RefusedAsync(
        Document("{ name = bad, source = \"main:public.items\", target = \"main:public.good_copy\" }"),
        "{file}:6:58: syncs[1].target: main:public.good_copy is already the target of sync 'good' (syncs[0]); two syncs cannot write one table");

    // ---- Databases and tables: checked on the server, before anything is installed.

    [Fact]
    public Task A_source_table_that_does_not_exist() => RefusedAsync(
        Document("{ name = bad, source = \"main:public.absent\", target = \"main:public.items_copy\" }"),
        "sync 'bad': source table main:public.absent does not exist");

    [Fact]
    public Task A_target_table_that_does_not_exist() => RefusedAsync(
        Document("{ name = bad, source = \"main:public.items\", target = \"main:public.absent_copy\" }"),
        "sync 'bad': target table main:public.absent_copy does not exist; create it, or set create-target = true");

    [Fact]
    public Task A_table_without_a_primary_key_and_no_key() => RefusedAsync(
        Document("{ name = bad, source = \"main:public.keyless\", target = \"main:public.keyless_copy\", create-target = true }"),
        "sync 'bad': source table main:public.keyless has no primary key; set key = [...] to the columns that identify a row");

    [Fact]
    public Task A_key_column_that_does_not_exist() => RefusedAsync(
        Document("{ name = bad, source = \"main:public.keyless\", target = \"main:public.keyless_copy\", create-target = true, key = [c] }"),
        "sync 'bad': key column \"c\" does not exist in source main:public.keyless");

    [Fact]
    public Task Incompatible_column_types() => RefusedAsync(
        Document("{ name = bad, source = \"main:public.items\", target = \"main:public.items_point\" }"),
        "sync 'bad': column \"n\" has type integer in source main:public.items but point in target main:public.items_point");

    [Fact]
    public Task A_where_that_is_not_valid_sql() => RefusedAsync(
        Document("{ name = bad, source = \"main:public.items\", target = \"main:public.items_copy\", where = \"n >>> 1\" }"),
        "sync 'bad': where = \"n >>> 1\" is not a valid condition on main:public.items: 42883: operator does not exist");

    [Fact]
    public Task A_wrong_password()
    {
        const string Wrong = "wrong-password-7f3a9c";
        var other = ConfigFile.WithPassword(database.ConnectionString, Wrong);
        var user = new NpgsqlConnectionStringBuilder(database.ConnectionString).Username;
        return RefusedAsync(
            Document("{ name = bad, source = \"main:public.items\", target = \"other:public.items_copy\" }", databases: Databases(("other", other))),
            $"database 'other': password authentication failed for user '{user}' at 127.0.0.1:", "!" + Wrong);
    }

    [Fact]
    public Task An_unreachable_host()
    {
        var other = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Host = "127.0.0.1", Port = 1, Timeout = 3 }.ConnectionString;
        return RefusedAsync(
            Document("{ name = bad, source = \"main:public.items\", target = \"other:public.items_copy\" }", databases: Databases(("other", other))),
            "database 'other': cannot reach 127.0.0.1:1");
    }

    /// <summary>
    /// A configuration whose lines are known: 1 <c>actorsync {</c>, 2 databases, 3 admin, 4 <c>syncs = [</c>, 5 the good
    /// sync, 6 the first of <paramref name="syncs"/>, then <c>]</c>, <paramref name="extra"/>, and the closing brace.
    /// </summary>
    private string Document(string? sync = null, string? databases = null, string extra = "", string tail = "}\n") =>
        "actorsync {\n" +
        $"  databases {{ {databases ?? Databases()} }}\n" +
        "  admin { enabled = false }\n" +
        "  syncs = [\n" +
        $"    {GoodSync}\n" +
        (sync is null ? "" : $"    {sync}\n") +
        "  ]\n" +
        extra +
        tail;

    private string Databases(params (string Name, string ConnectionString)[] more) => string.Join(
        ", ", new[] { ("main", database.ConnectionString) }.Concat(more).Select(d => $"{d.Item1} {{ connection-string = {ConfigFile.Quote(d.Item2)} }}"));

    /// <summary>
    /// Runs <c>check</c> and <c>run</c>: both must exit 2 with every <paramref name="expected"/> text (<c>{file}</c> is the
    /// configuration's path; a leading <c>!</c> means the text must not appear), never the password, and change nothing.
    /// </summary>
    private async Task RefusedAsync(string config, params string[] expected)
    {
        using var file = CliRun.WriteConfig(config);
        var password = new NpgsqlConnectionStringBuilder(database.ConnectionString).Password!;
        foreach (var command in new[] { "check", "run" })
        {
            var (exitCode, output) = await CliRun.InvokeAsync(command, "--config", file.Path);
            Assert.True(exitCode == ExitCodes.BadInput, $"actorsync {command} exited {exitCode}, not 2:\n{output}");
            foreach (var text in expected.Select(e => e.Replace("{file}", file.Path, StringComparison.Ordinal)))
            {
                if (text.StartsWith('!'))
                {
                    Assert.DoesNotContain(text[1..], output, StringComparison.Ordinal);
                }
                else
                {
                    Assert.True(output.Contains(text, StringComparison.Ordinal), $"actorsync {command}: '{text}' is not in its output:\n{output}");
                }
            }

            Assert.DoesNotContain(password, output, StringComparison.Ordinal);
        }

        // Nothing half-installed: no schema, no trigger, not even the good sync's target.
        Assert.Null(await database.ScalarAsync<string>("SELECT to_regnamespace('actorsync')::text"));
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal"));
        Assert.Null(await database.ScalarAsync<string>("SELECT to_regclass('good_copy')::text"));
    }
}
