using ActorSync.Actors;
using ActorSync.Cli;
using ActorSync.Tests.Support;
using static ActorSync.Tests.Cli.StatusCommandTests;

namespace ActorSync.Tests.Cli;

/// <summary><c>actorsync pause|resume|resync SYNC</c> against a service that requires a token.</summary>
public sealed class SyncCommandCommandsTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>
{
    private const string Token = "tr0ub4dor-and-3";

    [Fact]
    public async Task Commands_with_the_token_exit_0_and_without_it_or_for_an_unknown_sync_exit_1_with_the_services_message()
    {
        await database.ExecuteAsync("CREATE TABLE steered (id int PRIMARY KEY); INSERT INTO steered VALUES (1)");
        await using var host = await AdminHost.StartAsync(
            new Dictionary<string, string> { ["src"] = database.ConnectionString },
            ["{ name = steered, source = \"src:public.steered\", target = \"src:public.steered_copy\", create-target = true }"],
            Token);
        await host.WaitForStateAsync("steered", SyncStates.Idle);
        var url = host.Address.ToString();

        var (refused, _, refusal) = await CliAsync("pause", "steered", "--url", url);
        Assert.Equal(ExitCodes.Failure, refused);
        Assert.StartsWith("pause steered refused (HTTP 401): a valid bearer token is required", refusal, StringComparison.Ordinal);

        var (paused, pausedOutput, _) = await CliAsync("pause", "steered", "--url", url, "--token", Token);
        Assert.Equal(ExitCodes.Ok, paused);
        Assert.Equal("sync steered: paused\n", pausedOutput);
        await host.WaitForStateAsync("steered", SyncStates.Paused);

        var (unknown, _, unknownError) = await CliAsync("resync", "absent", "--url", url, "--token", Token);
        Assert.Equal(ExitCodes.Failure, unknown);
        Assert.Contains("(HTTP 404): no sync named 'absent'", unknownError, StringComparison.Ordinal);

        // The token from ACTORSYNC_ADMIN_TOKEN, with the real CLI.
        await using (var resume = ActorSyncProcess.Start(["resume", "steered", "--url", url], new Dictionary<string, string> { [AdminClient.TokenVariable] = Token }))
        {
            Assert.Equal(ExitCodes.Ok, await resume.WaitForExitAsync(TimeSpan.FromSeconds(60)));
            Assert.Contains("sync steered: streaming", resume.Output, StringComparison.Ordinal);
        }

        await host.WaitForStateAsync("steered", SyncStates.Idle);

        // The token and the address from the configuration file.
        using var config = ConfigFile.Write(
            new Dictionary<string, string> { ["src"] = database.ConnectionString },
            ["{ name = steered, source = \"src:public.steered\", target = \"src:public.steered_copy\" }"],
            $"admin {{ url = \"http://127.0.0.1:{host.Address.Port}\", token = \"{Token}\" }}");
        var (resynced, resyncOutput, _) = await CliAsync("resync", "steered", "--config", config.Path);
        Assert.Equal(ExitCodes.Ok, resynced);
        Assert.Equal("sync steered: snapshotting\n", resyncOutput);
    }

    [Fact]
    public async Task A_command_exits_3_when_the_service_cannot_be_reached()
    {
        var (code, _, error) = await CliAsync("pause", "anything", "--url", $"http://127.0.0.1:{ClosedPort()}", "--token", Token);

        Assert.Equal(ExitCodes.Unreachable, code);
        Assert.Contains("cannot reach the admin endpoint", error, StringComparison.Ordinal);
    }
}
