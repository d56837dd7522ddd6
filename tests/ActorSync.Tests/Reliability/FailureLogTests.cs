using ActorSync.Cli;
using ActorSync.Tests.Support;
using Npgsql;

namespace ActorSync.Tests.Reliability;

/// <summary>What <c>actorsync run</c> prints when its connections are cut: one line per failure, never a stack trace (issue 9).</summary>
public sealed class FailureLogTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>
{
    [Fact]
    public async Task Backends_terminated_inside_an_apply_are_reported_in_one_line_without_a_stack_trace()
    {
        var targetConnectionString = await SharedPostgresServer.GetConnectionStringAsync(await database.CreateDatabaseAsync("tgt"));
        await using var target = NpgsqlDataSource.Create(targetConnectionString);
        await database.ExecuteAsync("CREATE TABLE cut (id int PRIMARY KEY, v text); INSERT INTO cut VALUES (1, 'a')");
        await EngineHarness.ExecuteAsync(target, "CREATE TABLE cut (id int PRIMARY KEY, v text)");
        using var config = ConfigFile.Write(
            new Dictionary<string, string> { ["src"] = database.ConnectionString, ["tgt"] = targetConnectionString },
            ["{ name = cut, source = \"src:public.cut\", target = \"tgt:public.cut\" }"]);
        await using var run = ActorSyncProcess.Start(["run", "--config", config.Path]);
        await run.WaitForOutputAsync("Sync cut: caught up", TimeSpan.FromSeconds(60));

        // The apply holds its source snapshot open while it waits for the target's lock. Terminating the source backend
        // first, then the target's, fails the apply on the target while the source transaction still has to be rolled
        // back over a connection that is already gone.
        await using var blocker = await target.OpenConnectionAsync();
        await using var transaction = await blocker.BeginTransactionAsync();
        await using (var lockTable = new NpgsqlCommand("LOCK TABLE cut IN ACCESS EXCLUSIVE MODE", blocker, transaction))
        {
            await lockTable.ExecuteNonQueryAsync();
        }

        await database.ExecuteAsync("INSERT INTO cut VALUES (2, 'b')");
        // Every query on pg_stat_activity names this class's database: other test classes run their own ActorSync
        // processes against the same server at the same time (CI once saw two 'actorsync-read' backends here).
        const string Waiting =
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'actorsync-write' AND wait_event_type = 'Lock'";
        const string Reading =
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'actorsync-read' AND state = 'idle in transaction'";
        var waiting = await Eventually.ValueAsync(() => CountAsync(target, Waiting), count => count > 0);
        Assert.True(waiting > 0, "the apply never waited for the lock");
        Assert.Equal(1, await CountAsync(database.DataSource, Reading));
        await database.ExecuteAsync($"SELECT pg_terminate_backend(pid) FROM ({Reading}) r");
        await EngineHarness.ExecuteAsync(target, $"SELECT pg_terminate_backend(pid) FROM ({Waiting}) w");
        await run.WaitForOutputAsync("Sync cut is failing", TimeSpan.FromSeconds(30));
        await transaction.RollbackAsync();
        await Eventually.AssertAsync(() => TableFingerprint.AssertEqualAsync(database.DataSource, "cut", target, "cut", "id"));
        await run.WaitForOutputAsync("Sync cut: recovered", TimeSpan.FromSeconds(30));

        run.Terminate();
        Assert.Equal(ExitCodes.Ok, await run.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("57P01: terminating connection due to administrator command", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception while", run.Output, StringComparison.Ordinal);
    }

    private static async Task<int> CountAsync(NpgsqlDataSource dataSource, string query)
    {
        await using var command = dataSource.CreateCommand($"SELECT count(*)::int FROM ({query}) q");
        return (int)(await command.ExecuteScalarAsync())!;
    }
}
