using System.Security.Cryptography;
using ActorSync.Cli;
using ActorSync.Sql;
using ActorSync.Tests.Support;
using Npgsql;

namespace ActorSync.Tests.Security;

/// <summary>
/// Issue 9, "the capture triggers run with the least privilege needed": ActorSync runs as a role holding only the grants
/// docs/security.md lists, while the application writes its tables as another role — the normal deployment, never a
/// superuser. The grants below are the documented ones, word for word.
/// </summary>
public sealed class LeastPrivilegeTests : IAsyncLifetime
{
    private readonly string _suffix = Convert.ToHexString(RandomNumberGenerator.GetBytes(4)).ToLowerInvariant();
    private readonly string _syncPassword = "sync-" + Guid.NewGuid().ToString("N");
    private readonly string _appPassword = "app-" + Guid.NewGuid().ToString("N");
    private NpgsqlDataSource _sourceAdmin = null!;
    private NpgsqlDataSource _targetAdmin = null!;
    private NpgsqlDataSource _sourceAsApp = null!;
    private NpgsqlDataSource _sourceAsSync = null!;

    private string SyncRole => $"actorsync_sync_{_suffix}";

    private string AppRole => $"actorsync_app_{_suffix}";

    private string SourceDatabase => $"lp_src_{_suffix}";

    private string TargetDatabase => $"lp_tgt_{_suffix}";

    public async Task InitializeAsync()
    {
        await AdminAsync(
            $"CREATE ROLE {SyncRole} LOGIN PASSWORD {Literal.Quote(_syncPassword)}",
            $"CREATE ROLE {AppRole} LOGIN PASSWORD {Literal.Quote(_appPassword)}",
            $"CREATE DATABASE {SourceDatabase} OWNER {AppRole}",
            $"CREATE DATABASE {TargetDatabase} OWNER {AppRole}");
        _sourceAdmin = NpgsqlDataSource.Create(await SharedPostgresServer.GetConnectionStringAsync(SourceDatabase));
        _targetAdmin = NpgsqlDataSource.Create(await SharedPostgresServer.GetConnectionStringAsync(TargetDatabase));
        _sourceAsApp = NpgsqlDataSource.Create(await ConnectionStringAsync(SourceDatabase, AppRole, _appPassword));
        _sourceAsSync = NpgsqlDataSource.Create(await ConnectionStringAsync(SourceDatabase, SyncRole, _syncPassword));

        // The application's tables, owned by the application's role.
        await using var appOnTarget = NpgsqlDataSource.Create(await ConnectionStringAsync(TargetDatabase, AppRole, _appPassword));
        await ExecuteAsync(_sourceAsApp, """
            CREATE TABLE orders (id bigint PRIMARY KEY, customer text NOT NULL, total numeric(12,2));
            CREATE TABLE items (sku text PRIMARY KEY, qty int NOT NULL);
            CREATE TABLE items_copy (sku text PRIMARY KEY, qty int NOT NULL);
            CREATE TABLE secrets (id int PRIMARY KEY, secret text);
            INSERT INTO orders SELECT g, 'customer ' || g, g * 1.5 FROM generate_series(1, 100) g;
            INSERT INTO items VALUES ('a', 1), ('b', 2);
            """);
        await ExecuteAsync(appOnTarget, "CREATE TABLE orders (id bigint PRIMARY KEY, customer text NOT NULL, total numeric(12,2))");

        // docs/security.md, "Grants": the source database, with the schema created for ActorSync by an administrator ...
        await ExecuteAsync(_sourceAdmin, $"""
            CREATE SCHEMA actorsync AUTHORIZATION {SyncRole};
            GRANT SELECT, TRIGGER ON public.orders, public.items TO {SyncRole};
            GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON public.items_copy TO {SyncRole};
            """);

        // ... and the target database, where ActorSync may create its schema itself.
        await ExecuteAsync(_targetAdmin, $"""
            GRANT CREATE ON DATABASE {TargetDatabase} TO {SyncRole};
            GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON public.orders TO {SyncRole};
            """);
    }

    public async Task DisposeAsync()
    {
        foreach (var dataSource in new[] { _sourceAdmin, _targetAdmin, _sourceAsApp, _sourceAsSync })
        {
            if (dataSource is not null)
            {
                await dataSource.DisposeAsync();
            }
        }

        await AdminAsync(
            $"DROP DATABASE IF EXISTS {SourceDatabase} WITH (FORCE)",
            $"DROP DATABASE IF EXISTS {TargetDatabase} WITH (FORCE)",
            $"DROP ROLE IF EXISTS {SyncRole}",
            $"DROP ROLE IF EXISTS {AppRole}");
    }

    [Fact]
    public async Task A_sync_role_with_only_the_documented_grants_replicates_what_the_application_role_writes()
    {
        using var config = await ConfigAsync();
        var (checkCode, checkOutput) = await ActorSyncProcess.RunAsync(["check", "--config", config.Path]);
        Assert.True(checkCode == ExitCodes.Ok, checkOutput);

        await using var run = ActorSyncProcess.Start(["run", "--config", config.Path]);
        await run.WaitForOutputAsync("Sync orders: caught up", TimeSpan.FromSeconds(60));
        await run.WaitForOutputAsync("Sync items: caught up", TimeSpan.FromSeconds(60));

        // Every kind of write, by the application's role: its writes must not need any grant on ActorSync's objects.
        await ExecuteAsync(_sourceAsApp, """
            INSERT INTO orders VALUES (1000, 'new', 1);
            UPDATE orders SET total = total + 1 WHERE id <= 10;
            UPDATE orders SET id = 2000 WHERE id = 20;
            DELETE FROM orders WHERE id BETWEEN 30 AND 39;
            TRUNCATE items;
            INSERT INTO items VALUES ('c', 3);
            """);

        await Eventually.AssertAsync(async () =>
        {
            await TableFingerprint.AssertEqualAsync(_sourceAdmin, "orders", _targetAdmin, "orders", "id");
            await TableFingerprint.AssertEqualAsync(_sourceAdmin, "items", _sourceAdmin, "items_copy", "sku");
        });
        run.Terminate();
        Assert.Equal(ExitCodes.Ok, await run.WaitForExitAsync(TimeSpan.FromSeconds(30)));

        // The triggers run as the sync role that installed them (SECURITY DEFINER), never as the writer and never as more.
        Assert.Equal(
            $"{SyncRole} definer",
            await ScalarAsync<string>(_sourceAdmin, "SELECT string_agg(DISTINCT proowner::regrole::text || CASE WHEN prosecdef THEN ' definer' ELSE ' invoker' END, ', ') " +
                                                    "FROM pg_proc WHERE pronamespace = 'actorsync'::regnamespace"));
        Assert.False(await ScalarAsync<bool>(_sourceAdmin, $"SELECT rolsuper OR rolcreaterole OR rolcreatedb OR rolbypassrls FROM pg_roles WHERE rolname = '{SyncRole}'"));
    }

    [Fact]
    public async Task The_sync_role_cannot_write_the_source_read_other_tables_or_change_them_and_writers_cannot_touch_the_delta()
    {
        using var config = await ConfigAsync();
        await using (var run = ActorSyncProcess.Start(["run", "--config", config.Path]))
        {
            await run.WaitForOutputAsync("Sync orders: caught up", TimeSpan.FromSeconds(60));
            run.Terminate();
            await run.WaitForExitAsync(TimeSpan.FromSeconds(30));
        }

        foreach (var (what, sql) in new[]
                 {
                     ("write the source", "INSERT INTO orders VALUES (-1, 'forged', 0)"),
                     ("change the source's rows", "UPDATE orders SET total = 0"),
                     ("read a table it was not granted", "SELECT * FROM secrets"),
                     ("alter the source table", "ALTER TABLE orders ADD COLUMN forged int"),
                     ("drop a trigger of the source table", "DROP TRIGGER actorsync_orders_capture ON orders"),
                     ("create a table outside its schema", "CREATE TABLE public.forged (id int)"),
                     ("empty a source table", "TRUNCATE items"),
                 })
        {
            var refused = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(_sourceAsSync, sql));
            Assert.True(refused.SqlState == "42501", $"the sync role could {what}, or failed otherwise: {refused.SqlState} {refused.MessageText}");
        }

        // Only the sync role reaches its delta tables: a writer cannot forge a TRUNCATE marker (all-NULL keys) to empty a target.
        foreach (var sql in new[] { "INSERT INTO actorsync.delta_orders DEFAULT VALUES", "SELECT * FROM actorsync.delta_orders", "DELETE FROM actorsync.delta_orders" })
        {
            var refused = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(_sourceAsApp, sql));
            Assert.Equal("42501", refused.SqlState);
        }
    }

    [Fact]
    public async Task Capture_triggers_run_as_the_sync_role_but_resolve_nothing_through_the_writers_search_path()
    {
        using var config = await ConfigAsync();
        await using (var run = ActorSyncProcess.Start(["run", "--config", config.Path]))
        {
            await run.WaitForOutputAsync("Sync orders: caught up", TimeSpan.FromSeconds(60));
            run.Terminate();
            await run.WaitForExitAsync(TimeSpan.FromSeconds(30));
        }

        // A writer puts its own schema first and shadows the operators and functions a trigger body might name. Were any
        // resolved through its search_path, the writer's code would run with the sync role's rights and record it here.
        await ExecuteAsync(_sourceAdmin, $"CREATE SCHEMA evil AUTHORIZATION {AppRole}");
        await ExecuteAsync(_sourceAsApp, """
            CREATE TABLE evil.calls (who text, what text);
            GRANT INSERT ON evil.calls TO PUBLIC;
            GRANT USAGE ON SCHEMA evil TO PUBLIC;
            CREATE FUNCTION evil.same(text, text) RETURNS boolean LANGUAGE plpgsql AS
                $$ BEGIN INSERT INTO evil.calls VALUES (current_user, '='); RETURN $1 OPERATOR(pg_catalog.=) $2; END $$;
            CREATE FUNCTION evil.differ(text, text) RETURNS boolean LANGUAGE plpgsql AS
                $$ BEGIN INSERT INTO evil.calls VALUES (current_user, '<>'); RETURN $1 OPERATOR(pg_catalog.<>) $2; END $$;
            CREATE OPERATOR evil.= (LEFTARG = text, RIGHTARG = text, FUNCTION = evil.same);
            CREATE OPERATOR evil.<> (LEFTARG = text, RIGHTARG = text, FUNCTION = evil.differ);
            CREATE FUNCTION evil.pg_notify(text, text) RETURNS void LANGUAGE plpgsql AS
                $$ BEGIN INSERT INTO evil.calls VALUES (current_user, 'pg_notify'); END $$;
            """);

        await using (var connection = await _sourceAsApp.OpenConnectionAsync())
        {
            await using var command = new NpgsqlCommand(
                """
                SET search_path = evil, pg_catalog, public;
                INSERT INTO public.orders VALUES (5000, 'x', 1);
                UPDATE public.orders SET id = 5001 WHERE id = 5000;
                DELETE FROM public.orders WHERE id = 5001;
                TRUNCATE public.items;
                """, connection);
            await command.ExecuteNonQueryAsync();
        }

        Assert.Equal(0L, await ScalarAsync<long>(_sourceAdmin, "SELECT count(*) FROM evil.calls"));
        Assert.Equal(4L, await ScalarAsync<long>(_sourceAdmin, "SELECT count(*) FROM actorsync.delta_orders WHERE id IN (5000, 5001)"));
        Assert.Equal(1L, await ScalarAsync<long>(_sourceAdmin, "SELECT count(*) FROM actorsync.delta_items WHERE sku IS NULL"));
    }

    private async Task<ConfigFile> ConfigAsync() => ConfigFile.Write(
        new Dictionary<string, string>
        {
            ["src"] = await ConnectionStringAsync(SourceDatabase, SyncRole, _syncPassword),
            ["tgt"] = await ConnectionStringAsync(TargetDatabase, SyncRole, _syncPassword),
        },
        [
            "{ name = orders, source = \"src:public.orders\", target = \"tgt:public.orders\" }",
            "{ name = items, source = \"src:public.items\", target = \"src:public.items_copy\" }",
        ]);

    private static async Task<string> ConnectionStringAsync(string database, string user, string password) =>
        new NpgsqlConnectionStringBuilder(await SharedPostgresServer.GetAdminConnectionStringAsync())
        {
            Database = database,
            Username = user,
            Password = password,
        }.ConnectionString;

    private static async Task AdminAsync(params string[] statements)
    {
        await using var connection = new NpgsqlConnection(await SharedPostgresServer.GetAdminConnectionStringAsync());
        await connection.OpenAsync();
        foreach (var sql in statements)
        {
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
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
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
