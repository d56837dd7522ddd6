using ActorSync.Cli;
using ActorSync.Tests.Support;
using Npgsql;

namespace ActorSync.Tests.Cli;

/// <summary>The real CLI as a child process: run, SIGKILL, restart, uninstall.</summary>
public sealed class RunCommandTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>
{
    [Fact]
    public async Task Killed_with_SIGKILL_mid_batch_and_restarted_it_converges_with_nothing_lost()
    {
        var (target, databases) = await database.CreateTargetAsync("killed");
        await database.ExecuteAsync("INSERT INTO killed SELECT g, 'initial' FROM generate_series(1, 300000) g");
        using var config = ConfigFile.Write(databases, ["{ name = killed, source = \"src:public.killed\", target = \"tgt:public.killed\", batch-size = 2000 }"]);
        await using (var first = ActorSyncProcess.Start(["run", "--config", config.Path]))
        {
            await first.WaitForOutputAsync("Sync killed: caught up", TimeSpan.FromSeconds(60));
            await database.ExecuteAsync("UPDATE killed SET v = 'changed ' || id WHERE id % 2 = 0; DELETE FROM killed WHERE id % 5 = 0");

            // Mid-batch: ActorSync's COPY into the target is running, its transaction not committed.
            var copying = await Eventually.ValueAsync(
                async () =>
                {
                    // In the target database only: other test classes run ActorSync COPYs into targets of their own.
                    await using var command = target.CreateCommand(
                        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE 'actorsync%' AND state = 'active' AND query LIKE 'COPY%'");
                    return (long)(await command.ExecuteScalarAsync())!;
                },
                active => active > 0,
                TimeSpan.FromSeconds(30));
            Assert.True(copying > 0, "never saw a batch in flight");
            first.Kill();
            await first.WaitForExitAsync(TimeSpan.FromSeconds(30));
        }

        var leftBehind = await database.ScalarAsync<long>("SELECT count(*) FROM actorsync.delta_killed");
        Assert.True(leftBehind > 0, "the kill came after the delta was drained; the test proves nothing");
        await database.ExecuteAsync("INSERT INTO killed VALUES (-1, 'while down')");

        await using var second = ActorSyncProcess.Start(["run", "--config", config.Path]);
        await Eventually.AssertAsync(() => TableFingerprint.AssertEqualAsync(database.DataSource, "killed", target, "killed", "id"), TimeSpan.FromSeconds(90));
        await second.WaitForOutputAsync("Sync killed: caught up", TimeSpan.FromSeconds(30));
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM actorsync.delta_killed"));
        second.Terminate();
        Assert.Equal(ExitCodes.Ok, await second.WaitForExitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task Run_with_a_sync_that_cannot_work_exits_2_and_installs_nothing()
    {
        await database.ExecuteAsync("CREATE TABLE IF NOT EXISTS lonely (id int PRIMARY KEY)");
        using var config = ConfigFile.Write(
            new Dictionary<string, string> { ["src"] = database.ConnectionString },
            ["{ name = fine, source = \"src:public.lonely\", target = \"src:public.lonely_copy\", create-target = true }",
             "{ name = broken, source = \"src:public.absent\", target = \"src:public.absent_copy\" }"]);

        var (exitCode, output) = await ActorSyncProcess.RunAsync(["run", "--config", config.Path]);

        Assert.Equal(ExitCodes.BadInput, exitCode);
        Assert.Contains("sync 'broken': source table src:public.absent does not exist", output, StringComparison.Ordinal);
        Assert.Contains("nothing was installed", output, StringComparison.Ordinal);
        Assert.Null(await database.ScalarAsync<string>("SELECT to_regnamespace('actorsync')::text"));
        Assert.Null(await database.ScalarAsync<string>("SELECT to_regclass('lonely_copy')::text"));
    }

    [Fact]
    public async Task Uninstall_removes_capture_from_every_database_and_keeps_the_data()
    {
        var (target, databases) = await database.CreateTargetAsync("removable");
        await database.ExecuteAsync("INSERT INTO removable VALUES (1, 'kept')");
        using var config = ConfigFile.Write(databases, ["{ name = removable, source = \"src:public.removable\", target = \"tgt:public.removable\" }"]);
        await using (var run = ActorSyncProcess.Start(["run", "--config", config.Path]))
        {
            await run.WaitForOutputAsync("Sync removable: caught up", TimeSpan.FromSeconds(60));
            run.Terminate();
            await run.WaitForExitAsync(TimeSpan.FromSeconds(30));
        }

        var (exitCode, output) = await ActorSyncProcess.RunAsync(["uninstall", "--config", config.Path]);

        Assert.Equal(ExitCodes.Ok, exitCode);
        Assert.Contains("database 'src': removed", output, StringComparison.Ordinal);
        Assert.Contains("database 'tgt': removed", output, StringComparison.Ordinal);
        Assert.Null(await database.ScalarAsync<string>("SELECT to_regnamespace('actorsync')::text"));
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM pg_trigger WHERE tgrelid = 'removable'::regclass AND NOT tgisinternal"));
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM removable"));
        await using var command = target.CreateCommand("SELECT count(*) FROM removable");
        Assert.Equal(1L, (long)(await command.ExecuteScalarAsync())!);
    }
}
