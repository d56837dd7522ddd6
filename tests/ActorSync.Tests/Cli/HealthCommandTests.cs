using ActorSync.Actors;
using ActorSync.Cli;
using ActorSync.Tests.Support;
using Npgsql;
using static ActorSync.Tests.Cli.StatusCommandTests;

namespace ActorSync.Tests.Cli;

/// <summary><c>actorsync health</c>, the Docker HEALTHCHECK: exit 0 ready, 1 not ready, 3 unreachable.</summary>
public sealed class HealthCommandTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>
{
    [Fact]
    public async Task Health_exits_1_with_the_reasons_while_a_sync_is_starting_and_0_once_ready()
    {
        await database.ExecuteAsync("CREATE TABLE gated (id int PRIMARY KEY); CREATE TABLE gated_copy (id int PRIMARY KEY)");
        await using var blocker = await database.DataSource.OpenConnectionAsync();
        await using var transaction = await blocker.BeginTransactionAsync();
        await using (var lockTable = new NpgsqlCommand("LOCK TABLE gated IN ACCESS EXCLUSIVE MODE", blocker, transaction))
        {
            // Installing capture waits for this lock, so the sync stays in starting.
            await lockTable.ExecuteNonQueryAsync();
        }

        await using var host = await AdminHost.StartAsync(
            new Dictionary<string, string> { ["src"] = database.ConnectionString },
            ["{ name = gated, source = \"src:public.gated\", target = \"src:public.gated_copy\" }"]);

        var (code, _, error) = await Eventually.ValueAsync(
            () => CliAsync("health", "--url", host.Address.ToString()), result => result.Error.Contains("sync 'gated' is starting", StringComparison.Ordinal));
        Assert.Equal(ExitCodes.Failure, code);
        Assert.StartsWith("not ready (HTTP 503):\n", error, StringComparison.Ordinal);
        Assert.Contains("\nsync 'gated' is starting\n", error, StringComparison.Ordinal);

        await transaction.RollbackAsync();
        await host.WaitForStateAsync("gated", SyncStates.Idle);

        var (readyCode, output, _) = await CliAsync("health", "--url", host.Address.ToString());
        Assert.Equal(ExitCodes.Ok, readyCode);
        Assert.Equal("ready\n", output);
    }

    [Fact]
    public async Task Health_exits_3_when_the_service_cannot_be_reached_as_the_real_cli()
    {
        var (exitCode, output) = await ActorSyncProcess.RunAsync(["health", "--url", $"http://127.0.0.1:{ClosedPort()}"]);

        Assert.Equal(ExitCodes.Unreachable, exitCode);
        Assert.Contains("cannot reach the admin endpoint", output, StringComparison.Ordinal);
    }
}
