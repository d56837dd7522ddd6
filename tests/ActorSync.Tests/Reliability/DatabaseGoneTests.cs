using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using ActorSync.Actors;
using ActorSync.Cli;
using ActorSync.Postgres;
using ActorSync.Tests.Support;
using Npgsql;

namespace ActorSync.Tests.Reliability;

/// <summary>
/// The runtime row of the bad-input matrix (issue 9): a database that goes away after <c>actorsync run</c> started. Not bad
/// input the service can refuse: it must keep running, report the sync <c>failing</c> while the others go on, and recover
/// on its own when the database is back. The target lives on a server of its own, stopped and started again.
/// </summary>
public sealed partial class DatabaseGoneTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>
{
    [Theory]
    [InlineData("trigger")]
    [InlineData("wal")]
    public async Task A_database_that_goes_away_after_start_fails_its_sync_only_and_the_service_recovers_when_it_returns(string capture)
    {
        var variant = CaptureVariant.For(capture);
        await variant.RequireAsync(database.DataSource);
        var main = variant.Wal ? variant.Source : "main";
        var (remote, local) = ("remote_" + capture, "local_" + capture);
        // A fixed port: the server is stopped and started again, and the service must find it where it was.
        await using var server = await PostgresContainer.StartAsync(fixedPort: true, purpose: "A test that stops and starts its server");
        var targetConnectionString = await server.CreateDatabaseAsync("away");
        await using var target = NpgsqlDataSource.Create(targetConnectionString);
        await database.ExecuteAsync($"""
            CREATE TABLE {remote} (id int PRIMARY KEY, v text);
            INSERT INTO {remote} SELECT g, 'before' FROM generate_series(1, 100) g;
            CREATE TABLE {local} (id int PRIMARY KEY, v text);
            INSERT INTO {local} VALUES (1, 'before');
            """);
        await EngineHarness.ExecuteAsync(target, $"CREATE TABLE {remote} (id int PRIMARY KEY, v text)");
        using var config = ConfigFile.Write(
            new Dictionary<string, string> { [main] = database.ConnectionString, ["away"] = targetConnectionString },
            [
                $"{{ name = {remote}, source = \"{main}:public.{remote}\", target = \"away:public.{remote}\" }}",
                $"{{ name = {local}, source = \"{main}:public.{local}\", target = \"{main}:public.{local}_copy\", create-target = true }}",
            ],
            "admin { enabled = true, url = \"http://127.0.0.1:0\" }",
            variant.Wal ? new Dictionary<string, string> { [main] = "capture-mode = wal" } : null);
        try
        {
            await RunAsync(server, target, remote, local, config, variant.Wal ? main : null);
        }
        finally
        {
            await variant.CleanUpAsync(database.DataSource);
        }
    }

    private async Task RunAsync(PostgresContainer server, NpgsqlDataSource target, string remote, string local, ConfigFile config, string? walDatabase)
    {
        await using var run = ActorSyncProcess.Start(["run", "--config", config.Path]);
        await run.WaitForOutputAsync($"Sync {remote}: caught up", TimeSpan.FromSeconds(60));
        await run.WaitForOutputAsync($"Sync {local}: caught up", TimeSpan.FromSeconds(60));
        using var admin = new HttpClient { BaseAddress = new Uri(ListeningLine().Match(run.Output).Groups[1].Value + "/") };
        if (walDatabase is not null)
        {
            // WAL capture: the slot's retained WAL is in /status and /metrics (issue #20).
            var status = await Eventually.ValueAsync(
                () => GetJsonAsync(admin, "status"), s => s.GetProperty("slots").GetArrayLength() == 1 && s.GetProperty("slots")[0].GetProperty("slotRetainedBytes").ValueKind == JsonValueKind.Number);
            Assert.Equal(walDatabase, status.GetProperty("slots")[0].GetProperty("database").GetString());
            Assert.Equal(ActorSync.Capture.WalNames.Slot(walDatabase), status.GetProperty("slots")[0].GetProperty("slot").GetString());
            Assert.Contains($"actorsync_slot_retained_bytes{{database=\"{walDatabase}\"}} ", await admin.GetStringAsync("metrics"), StringComparison.Ordinal);
        }


        await server.StopAsync(PostgresShutdownMode.Fast);
        await database.ExecuteAsync($"""
            UPDATE {remote} SET v = 'while away' WHERE id <= 50;
            DELETE FROM {remote} WHERE id > 90;
            INSERT INTO {local} VALUES (2, 'while the other is away');
            """);

        // Failing, with its reason, and retrying (several restarts) — while the service runs and the other sync flows.
        var failing = await Eventually.ValueAsync(
            () => GetJsonAsync(admin, $"status/{remote}"),
            sync => sync.GetProperty("state").GetString() == SyncStates.Failing && sync.GetProperty("restarts").GetInt32() >= 3,
            TimeSpan.FromSeconds(60));
        Assert.Equal(SyncStates.Failing, failing.GetProperty("state").GetString());
        Assert.True(failing.GetProperty("restarts").GetInt32() >= 3, $"the sync stopped retrying: {failing}");
        Assert.Contains("Connection refused", failing.GetProperty("lastError").GetProperty("message").GetString(), StringComparison.Ordinal);
        await Eventually.AssertAsync(() => TableFingerprint.AssertEqualAsync(database.DataSource, local, database.DataSource, local + "_copy", "id"));
        using (var ready = await admin.GetAsync("health/ready"))
        {
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            Assert.Contains($"sync '{remote}' is failing", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.False(run.HasExited, $"the service stopped:\n{run.Output}");

        await server.StartAsync();
        await Eventually.AssertAsync(() => TableFingerprint.AssertEqualAsync(database.DataSource, remote, target, remote, "id"), TimeSpan.FromSeconds(60));
        await run.WaitForOutputAsync($"Sync {remote}: recovered", TimeSpan.FromSeconds(30));
        var recovered = await Eventually.ValueAsync(
            () => GetJsonAsync(admin, $"status/{remote}"), sync => sync.GetProperty("state").GetString() == SyncStates.Idle, TimeSpan.FromSeconds(30));
        Assert.Equal(JsonValueKind.Null, recovered.GetProperty("lastError").ValueKind);

        run.Terminate();
        Assert.Equal(ExitCodes.Ok, await run.WaitForExitAsync(TimeSpan.FromSeconds(30)));
    }

    private static async Task<JsonElement> GetJsonAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    [GeneratedRegex(@"Admin endpoint listening on (http://[^;,\s]+)")]
    private static partial Regex ListeningLine();
}
