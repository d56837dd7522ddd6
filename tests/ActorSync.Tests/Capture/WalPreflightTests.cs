using ActorSync.Cli;
using ActorSync.Sql;
using ActorSync.Tests.Support;
using Npgsql;

namespace ActorSync.Tests.Capture;

/// <summary>
/// What WAL capture needs from a source database is checked before anything is installed (issue #20): <c>check</c> and
/// <c>run</c> exit 2 naming the database (and the sync and table) and saying what to run. The server that lacks
/// everything (wal_level = replica, no free slot, no WAL sender) is one extra container, for this class only.
/// </summary>
public sealed class WalPreflightTests(PostgresDatabaseFixture database, WalPreflightTests.PoorServer poor)
    : IClassFixture<PostgresDatabaseFixture>, IClassFixture<WalPreflightTests.PoorServer>, IAsyncLifetime
{
    private readonly string _role = "norepl_" + Guid.NewGuid().ToString("N")[..8];

    public async Task InitializeAsync()
    {
        await WalTestSupport.RequireLogicalWalAsync(database.DataSource);
        await database.ExecuteAsync($"""
            CREATE TABLE IF NOT EXISTS items (id int PRIMARY KEY, v text);
            CREATE TABLE IF NOT EXISTS items_copy (id int PRIMARY KEY, v text);
            CREATE TABLE IF NOT EXISTS keyless (a int NOT NULL, b text);
            CREATE TABLE IF NOT EXISTS keyless_copy (a int PRIMARY KEY, b text);
            CREATE TABLE IF NOT EXISTS indexed (a int NOT NULL, b text);
            CREATE UNIQUE INDEX IF NOT EXISTS indexed_a ON indexed (a);
            CREATE TABLE IF NOT EXISTS indexed_copy (a int PRIMARY KEY, b text);
            CREATE ROLE {_role} LOGIN PASSWORD 'pw-{_role}' NOREPLICATION;
            GRANT CONNECT ON DATABASE {Identifier.Quote(database.DatabaseName)} TO {_role};
            GRANT USAGE ON SCHEMA public TO {_role};
            GRANT SELECT ON ALL TABLES IN SCHEMA public TO {_role};
            """);
    }

    public async Task DisposeAsync()
    {
        await database.ExecuteAsync($"DROP OWNED BY {_role}; DROP ROLE {_role}");
    }

    [Fact]
    public async Task A_good_wal_source_passes_and_warns_that_the_slot_may_retain_wal_without_limit()
    {
        using var config = WalCapture.Config(database.ConnectionString, database.ConnectionString, [Sync("good", "items")]);

        var (exitCode, output) = await CliRun.InvokeAsync("check", "--config", config.Path);

        Assert.True(exitCode == ExitCodes.Ok, output);
        Assert.Contains("warning: database 'src' (capture-mode = wal): max_slot_wal_keep_size is -1 (unlimited)", output, StringComparison.Ordinal);
        Assert.Contains("max_slot_wal_keep_size = '10GB'", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_role_without_replication_nor_ownership_is_refused_with_what_to_run_and_nothing_changes()
    {
        var limited = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Username = _role, Password = $"pw-{_role}" }.ConnectionString;
        using var config = WalCapture.Config(limited, database.ConnectionString, [Sync("limited", "items")]);

        var (checkExit, check) = await CliRun.InvokeAsync("check", "--config", config.Path);
        var (runExit, run) = await CliRun.InvokeAsync("run", "--config", config.Path);

        foreach (var (exitCode, output) in new[] { (checkExit, check), (runExit, run) })
        {
            Assert.True(exitCode == ExitCodes.BadInput, output);
            Assert.Contains($"database 'src' (capture-mode = wal): role {_role} has neither the REPLICATION attribute nor superuser", output, StringComparison.Ordinal);
            Assert.Contains($"ALTER ROLE \"{_role}\" REPLICATION;", output, StringComparison.Ordinal);
            Assert.Contains($"may not create the publication actorsync_src (CREATE on the database): run GRANT CREATE ON DATABASE", output, StringComparison.Ordinal);
            Assert.Contains($"sync 'limited': role {_role} does not own the source table src:public.items", output, StringComparison.Ordinal);
            Assert.Contains("CREATE PUBLICATION \"actorsync_src\" FOR TABLE \"public\".\"items\";", output, StringComparison.Ordinal);
        }

        Assert.Contains("Not started: nothing was installed or changed.", run, StringComparison.Ordinal);
        await AssertNothingInstalledAsync(database.ConnectionString);
    }

    [Fact]
    public async Task A_table_without_a_primary_key_is_refused_until_the_sync_opts_in_and_check_never_changes_it()
    {
        using var refused = WalCapture.Config(database.ConnectionString, database.ConnectionString, [Sync("nopk", "keyless", "key = [a]")]);
        using var full = WalCapture.Config(database.ConnectionString, database.ConnectionString, [Sync("nopk", "keyless", "key = [a], replica-identity = full")]);
        using var index = WalCapture.Config(database.ConnectionString, database.ConnectionString, [Sync("byindex", "indexed", "key = [a], replica-identity = index")]);
        using var noIndex = WalCapture.Config(database.ConnectionString, database.ConnectionString, [Sync("nopk", "keyless", "key = [a], replica-identity = index")]);

        var (refusedExit, refusal) = await CliRun.InvokeAsync("check", "--config", refused.Path);
        var (runExit, run) = await CliRun.InvokeAsync("run", "--config", refused.Path);
        var (fullExit, fullPlan) = await CliRun.InvokeAsync("check", "--config", full.Path, "--dry-run");
        var (indexExit, indexPlan) = await CliRun.InvokeAsync("check", "--config", index.Path, "--dry-run");
        var (noIndexExit, noIndexOutput) = await CliRun.InvokeAsync("check", "--config", noIndex.Path);

        Assert.Equal(ExitCodes.BadInput, refusedExit);
        Assert.Contains(
            "sync 'nopk': source table src:public.keyless would not publish the key (a) of its UPDATEs and DELETEs: it has no primary key (replica identity DEFAULT)",
            refusal, StringComparison.Ordinal);
        Assert.Contains("run ALTER TABLE \"public\".\"keyless\" REPLICA IDENTITY FULL;", refusal, StringComparison.Ordinal);
        Assert.Contains("set replica-identity = full on the sync", refusal, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.BadInput, runExit);
        Assert.Contains("sync 'nopk': source table src:public.keyless would not publish the key", run, StringComparison.Ordinal);

        Assert.True(fullExit == ExitCodes.Ok, fullPlan);
        Assert.Contains("-- sync nopk: replica-identity = full\nALTER TABLE \"public\".\"keyless\" REPLICA IDENTITY FULL;", fullPlan, StringComparison.Ordinal);
        Assert.True(indexExit == ExitCodes.Ok, indexPlan);
        Assert.Contains("ALTER TABLE \"public\".\"indexed\" REPLICA IDENTITY USING INDEX \"indexed_a\";", indexPlan, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.BadInput, noIndexExit);
        Assert.Contains("replica-identity = index, but src:public.keyless has no unique index on exactly its key (a)", noIndexOutput, StringComparison.Ordinal);

        Assert.Equal("d", await database.ScalarAsync<string>("SELECT relreplident::text FROM pg_class WHERE oid = 'keyless'::regclass"));
        Assert.Equal("d", await database.ScalarAsync<string>("SELECT relreplident::text FROM pg_class WHERE oid = 'indexed'::regclass"));
        await AssertNothingInstalledAsync(database.ConnectionString);
    }

    [Fact]
    public async Task Run_sets_the_replica_identity_a_sync_opted_into_before_anything_else()
    {
        await database.ExecuteAsync("""
            CREATE TABLE IF NOT EXISTS opted (a int NOT NULL, b text);
            CREATE TABLE IF NOT EXISTS opted_copy (a int PRIMARY KEY, b text);
            """);
        using var config = WalCapture.Config(database.ConnectionString, database.ConnectionString, [Sync("opted", "opted", "key = [a], replica-identity = full")]);
        var configuration = ActorSync.Configuration.ActorSyncConfiguration.Load(config.Path);
        var check = await CheckCommand.InspectAsync(configuration, default);
        Assert.Empty(check.Problems);
        var said = new List<string>();

        var failure = await ActorSync.Capture.WalPreflight.ApplyReplicaIdentitiesAsync(
            configuration, check.ReplicaIdentityStatements, line => { said.Add(line); return Task.CompletedTask; }, default);

        Assert.Null(failure);
        Assert.Equal("f", await database.ScalarAsync<string>("SELECT relreplident::text FROM pg_class WHERE oid = 'opted'::regclass"));
        Assert.Equal(["sync 'opted': ALTER TABLE \"public\".\"opted\" REPLICA IDENTITY FULL; (replica-identity = full)"], said);
        var again = await CheckCommand.InspectAsync(configuration, default);
        Assert.Empty(again.ReplicaIdentityStatements);
    }

    [Fact]
    public async Task A_table_whose_replica_identity_covers_the_key_needs_no_opt_in()
    {
        await database.ExecuteAsync("""
            CREATE TABLE IF NOT EXISTS full_identity (a int NOT NULL, b text);
            ALTER TABLE full_identity REPLICA IDENTITY FULL;
            CREATE TABLE IF NOT EXISTS full_identity_copy (a int PRIMARY KEY, b text);
            """);
        using var config = WalCapture.Config(database.ConnectionString, database.ConnectionString, [Sync("covered", "full_identity", "key = [a]")]);

        var (exitCode, output) = await CliRun.InvokeAsync("check", "--config", config.Path, "--dry-run");

        Assert.True(exitCode == ExitCodes.Ok, output);
        Assert.DoesNotContain("REPLICA IDENTITY", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_without_logical_wal_free_slots_or_wal_senders_is_refused_naming_each()
    {
        var source = await poor.CreateSourceAsync();
        using var config = WalCapture.Config(source, source, [Sync("poor", "items")]);

        var (checkExit, check) = await CliRun.InvokeAsync("check", "--config", config.Path);
        var (runExit, run) = await CliRun.InvokeAsync("run", "--config", config.Path);

        foreach (var (exitCode, output) in new[] { (checkExit, check), (runExit, run) })
        {
            Assert.True(exitCode == ExitCodes.BadInput, output);
            Assert.Contains(
                "database 'src' (capture-mode = wal): wal_level is replica, and WAL capture needs logical: run ALTER SYSTEM SET wal_level = logical;",
                output, StringComparison.Ordinal);
            Assert.Contains("no free replication slot for actorsync_src: max_replication_slots is 1 and 1 are in use", output, StringComparison.Ordinal);
            Assert.Contains("no free WAL sender for the replication connection: max_wal_senders is 0", output, StringComparison.Ordinal);
        }

        await AssertNothingInstalledAsync(source);
    }

    [Fact]
    public async Task Run_as_a_process_refuses_a_wal_source_without_logical_wal_naming_the_database_and_installs_nothing_anywhere()
    {
        var source = await poor.CreateSourceAsync();
        // Beside it, a database that captures with triggers and would be installed first if run went ahead.
        await database.ExecuteAsync("""
            CREATE TABLE IF NOT EXISTS beside (id int PRIMARY KEY, v text);
            CREATE TABLE IF NOT EXISTS beside_copy (id int PRIMARY KEY, v text);
            """);
        using var config = WalCapture.Config(
            source, database.ConnectionString, [Sync("poor", "items"), "{ name = beside, source = \"tgt:public.beside\", target = \"tgt:public.beside_copy\" }"]);

        var (exitCode, output) = await ActorSyncProcess.RunAsync(["run", "--config", config.Path]);

        Assert.True(exitCode == ExitCodes.BadInput, $"exit code {exitCode}:\n{output}");
        Assert.Contains(
            "database 'src' (capture-mode = wal): wal_level is replica, and WAL capture needs logical: run ALTER SYSTEM SET wal_level = logical; " +
            "as a superuser and restart the server (or capture this database with triggers: remove databases.src.capture-mode)",
            output, StringComparison.Ordinal);
        Assert.Contains("Not started: nothing was installed or changed.", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", output, StringComparison.Ordinal);
        await AssertNothingInstalledAsync(source);
        await AssertNothingInstalledAsync(database.ConnectionString); // the trigger source and the target: no schema, no state
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM pg_trigger WHERE tgrelid = 'beside'::regclass AND NOT tgisinternal"));
    }

    private static string Sync(string name, string table, string extra = "") =>
        $"{{ name = {name}, source = \"src:public.{table}\", target = \"tgt:public.{table}_copy\"{(extra.Length > 0 ? ", " + extra : "")} }}";

    private static async Task AssertNothingInstalledAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        // Slots are the server's, and the server is shared: only a slot of this database is this test's.
        await using var command = new NpgsqlCommand(
            """
            SELECT (SELECT count(*) FROM pg_replication_slots WHERE slot_name = 'actorsync_src' AND database = current_database())
                 + (SELECT count(*) FROM pg_publication WHERE pubname = 'actorsync_src')
                 + (SELECT count(*) FROM pg_namespace WHERE nspname = 'actorsync')
            """,
            connection);
        Assert.Equal(0L, (long)(await command.ExecuteScalarAsync())!);
    }

    /// <summary>
    /// A server that has none of what WAL capture needs: wal_level = replica, one replication slot (taken by a physical
    /// slot) and no WAL sender. Started once for this class.
    /// </summary>
    public sealed class PoorServer : IAsyncLifetime
    {
        private PostgresContainer? _server;

        public async Task InitializeAsync()
        {
            _server = await PostgresContainer.StartAsync(
                configure: b => b.WithCommand("-c", "wal_level=replica").WithCommand("-c", "max_replication_slots=1").WithCommand("-c", "max_wal_senders=0"),
                purpose: "the WAL capture preflight tests (a server with wal_level = replica)");
            await using var connection = new NpgsqlConnection(_server.ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT pg_create_physical_replication_slot('someone_else')", connection);
            await command.ExecuteNonQueryAsync();
        }

        /// <summary>A database with <c>items</c> and <c>items_copy</c>, as the superuser.</summary>
        public async Task<string> CreateSourceAsync()
        {
            var connectionString = await _server!.CreateDatabaseAsync("poor_" + Guid.NewGuid().ToString("N")[..8]);
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                "CREATE TABLE items (id int PRIMARY KEY, v text); CREATE TABLE items_copy (id int PRIMARY KEY, v text)", connection);
            await command.ExecuteNonQueryAsync();
            return connectionString;
        }

        public async Task DisposeAsync()
        {
            if (_server is not null)
            {
                await _server.DisposeAsync();
            }
        }
    }
}
