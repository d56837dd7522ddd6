using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using ActorSync.Actors;
using ActorSync.Cli;
using ActorSync.Tests.Support;

namespace ActorSync.Tests.Cli;

/// <summary><c>actorsync status</c> against the real admin endpoint of a running service (issue 7).</summary>
public sealed partial class StatusCommandTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>
{
    [Fact]
    public async Task Status_prints_a_table_of_every_sync_and_exits_0_when_none_is_failing()
    {
        await using var host = await StartAsync("alpha", "beta");
        await host.WaitForStateAsync("alpha", SyncStates.Idle);
        await host.WaitForStateAsync("beta", SyncStates.Idle);
        await database.ExecuteAsync("INSERT INTO alpha VALUES (2, 'two'), (3, 'three')");
        await Eventually.ValueAsync(() => host.GetJsonAsync("status/alpha"), s => s.GetProperty("rowsApplied").GetInt64() == 2);

        // A poll turns an idle sync to streaming for a moment: ask until both rows read idle.
        var (code, output, error) = await Eventually.ValueAsync(
            () => CliAsync("status", "--url", host.Address.ToString()),
            result => AlphaRow().IsMatch(result.Output) && BetaRow().IsMatch(result.Output));

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Equal("", error);
        var lines = output.Split('\n');
        Assert.Matches(@"^SYNC\s+STATE\s+LAG\s+PENDING\s+APPLIED\s+RESTARTS\s+DEAD LETTERS\s+LAST ERROR$", lines[0]);
        Assert.Matches(AlphaRow(), lines[1]);
        Assert.Matches(BetaRow(), lines[2]);
        Assert.Contains("listener: connected", output, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^pools:    src/read \d+/10, src/write \d+/10$", output);
        Assert.Contains($"version:  {SyncEngine.Version}", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_json_prints_the_status_document_for_scripts()
    {
        await using var host = await StartAsync("scripted");
        await host.WaitForStateAsync("scripted", SyncStates.Idle);

        var (code, output, _) = await CliAsync("status", "--url", host.Address.ToString(), "--json");

        Assert.Equal(ExitCodes.Ok, code);
        var printed = JsonDocument.Parse(output).RootElement;
        var served = await host.GetJsonAsync("status");
        Assert.Equal(Shape(served), Shape(printed));
        Assert.Equal("scripted", printed.GetProperty("syncs")[0].GetProperty("name").GetString());
    }

    [Fact]
    public async Task Status_exits_1_when_a_sync_is_failing_and_shows_its_last_error_while_health_stays_ready()
    {
        await using var host = await StartAsync("picky");
        await database.ExecuteAsync("ALTER TABLE picky_copy ADD CONSTRAINT picky_no_forbidden CHECK (v <> 'forbidden')");
        await host.WaitForStateAsync("picky", SyncStates.Idle);

        await database.ExecuteAsync("INSERT INTO picky VALUES (2, 'forbidden')");
        await host.WaitForStateAsync("picky", SyncStates.Failing);

        var (code, output, _) = await Eventually.ValueAsync(
            () => CliAsync("status", "--url", host.Address.ToString()), result => result.Code == ExitCodes.Failure);
        Assert.Equal(ExitCodes.Failure, code);
        Assert.Matches(@"(?m)^picky\s+failing\s+\S+\s+\d+\s+0\s+[1-9]\d*\s+0\s+23514: .*picky_no_forbidden.* \(at \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ\)$", output);

        var (jsonCode, json, _) = await CliAsync("status", "--url", host.Address.ToString(), "--json");
        Assert.Equal(ExitCodes.Failure, jsonCode);
        Assert.Equal(SyncStates.Failing, JsonDocument.Parse(json).RootElement.GetProperty("syncs")[0].GetProperty("state").GetString());

        var (healthCode, health, _) = await CliAsync("health", "--url", host.Address.ToString());
        Assert.Equal(ExitCodes.Ok, healthCode);
        Assert.StartsWith("ready (degraded)\nsync 'picky' is failing: 23514", health, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_exits_3_when_the_service_cannot_be_reached_in_process_and_as_the_real_cli()
    {
        var url = $"http://127.0.0.1:{ClosedPort()}";

        var (code, _, error) = await CliAsync("status", "--url", url);
        Assert.Equal(ExitCodes.Unreachable, code);
        Assert.Contains($"cannot reach the admin endpoint at {url}/", error, StringComparison.Ordinal);

        var (exitCode, output) = await ActorSyncProcess.RunAsync(["status", "--url", url]);
        Assert.Equal(ExitCodes.Unreachable, exitCode);
        Assert.Contains("cannot reach the admin endpoint", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_finds_the_service_through_the_config_file_and_ACTORSYNC_ADMIN_URL_and_url_wins()
    {
        await using var host = await StartAsync("located");
        await host.WaitForStateAsync("located", SyncStates.Idle);
        var url = $"http://127.0.0.1:{host.Address.Port}";
        var closed = $"http://127.0.0.1:{ClosedPort()}";
        using var config = ConfigFile.Write(
            new Dictionary<string, string> { ["src"] = database.ConnectionString }, [Sync("located")], $"admin {{ url = \"{url}\" }}");

        Assert.Equal(ExitCodes.Ok, (await CliAsync("status", "--config", config.Path)).Code);
        Assert.Equal(ExitCodes.Unreachable, (await CliAsync("status", "--config", config.Path, "--url", closed)).Code);

        await using (var viaEnvironment = ActorSyncProcess.Start(["status"], new Dictionary<string, string> { [AdminClient.UrlVariable] = url }))
        {
            Assert.Equal(ExitCodes.Ok, await viaEnvironment.WaitForExitAsync(TimeSpan.FromSeconds(60)));
            Assert.Contains("located", viaEnvironment.Output, StringComparison.Ordinal);
        }

        await using (var viaConfigVariable = ActorSyncProcess.Start(["status"], new Dictionary<string, string> { ["ACTORSYNC_CONFIG"] = config.Path }))
        {
            Assert.Equal(ExitCodes.Ok, await viaConfigVariable.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        }

        await using var urlWins = ActorSyncProcess.Start(["status", "--url", url], new Dictionary<string, string> { [AdminClient.UrlVariable] = closed });
        Assert.Equal(ExitCodes.Ok, await urlWins.WaitForExitAsync(TimeSpan.FromSeconds(60)));
    }

    [Fact]
    public async Task A_url_that_is_not_http_is_bad_input()
    {
        var (code, _, error) = await CliAsync("status", "--url", "ftp://127.0.0.1:21");

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("is not an http:// or https:// address", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://0.0.0.0:8080", "http://127.0.0.1:8080/")]
    [InlineData("http://*:8080", "http://127.0.0.1:8080/")]
    [InlineData("http://[::]:8080", "http://[::1]:8080/")]
    [InlineData("http://localhost:9000", "http://localhost:9000/")]
    public void A_wildcard_listening_address_is_reached_on_loopback(string listening, string reached) =>
        Assert.Equal(reached, AdminClient.ToClientAddress(listening)!.ToString());

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(4.25, "4.3s")]
    [InlineData(187, "3m07s")]
    [InlineData(7500, "2h05m")]
    public void Lag_reads_as_seconds_minutes_or_hours(double seconds, string shown) => Assert.Equal(shown, StatusCommand.Lag(seconds));

    internal static async Task<(int Code, string Output, string Error)> CliAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await ActorSyncCli.InvokeAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>A loopback port nobody listens on (free a moment ago).</summary>
    internal static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static string Shape(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "{" + string.Join(",", element.EnumerateObject().Select(p => p.Name + ":" + (p.Name is "lastNotificationAt" ? "" : Shape(p.Value)))) + "}",
        JsonValueKind.Array => "[" + string.Join(",", element.EnumerateArray().Select(Shape)) + "]",
        _ => element.ValueKind.ToString(),
    };

    [GeneratedRegex(@"^alpha\s+idle\s+0s\s+0\s+2\s+0\s+0\s+-$", RegexOptions.Multiline)]
    private static partial Regex AlphaRow();

    [GeneratedRegex(@"^beta\s+idle\s+0s\s+0\s+0\s+0\s+0\s+-$", RegexOptions.Multiline)]
    private static partial Regex BetaRow();

    private static string Sync(string table) =>
        $"{{ name = {table}, source = \"src:public.{table}\", target = \"src:public.{table}_copy\" }}";

    private async Task<AdminHost> StartAsync(params string[] tables)
    {
        foreach (var table in tables)
        {
            await database.ExecuteAsync($"""
                CREATE TABLE {table} (id int PRIMARY KEY, v text);
                INSERT INTO {table} VALUES (1, 'one');
                CREATE TABLE {table}_copy (id int PRIMARY KEY, v text);
                """);
        }

        return await AdminHost.StartAsync(new Dictionary<string, string> { ["src"] = database.ConnectionString }, tables.Select(Sync));
    }
}
