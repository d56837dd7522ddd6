using System.Globalization;
using System.Net;
using System.Text.Json;
using ActorSync.Actors;
using ActorSync.Tests.Support;
using Npgsql;

namespace ActorSync.Tests.Admin;

/// <summary><c>GET /status</c> and <c>GET /status/{sync}</c> on the real Kestrel endpoint, against real syncs (issue 7).</summary>
public sealed class StatusEndpointTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>, IAsyncLifetime
{
    private static readonly string[] SyncFields =
        ["name", "source", "target", "state", "rowsApplied", "batchesApplied", "pendingRows", "lagSeconds", "restarts", "lastError", "lastAppliedAt", "snapshot", "deadLetters"];

    private NpgsqlDataSource _target = null!;
    private string _targetConnectionString = "";

    public async Task InitializeAsync()
    {
        _targetConnectionString = await SharedPostgresServer.GetConnectionStringAsync(await database.CreateDatabaseAsync("tgt"));
        _target = NpgsqlDataSource.Create(_targetConnectionString);
    }

    public async Task DisposeAsync() => await _target.DisposeAsync();

    [Fact]
    public async Task Status_reports_every_field_of_an_idle_sync_the_listener_the_pools_and_the_version()
    {
        await TablesAsync("fields", rows: 100);
        await using var host = await AdminHost.StartAsync(Databases(), [Sync("fields")]);
        await host.WaitForStateAsync("fields", SyncStates.Idle);
        var before = DateTimeOffset.UtcNow;

        await database.ExecuteAsync("UPDATE fields SET v = 'changed' WHERE id <= 10; DELETE FROM fields WHERE id = 100");
        await Eventually.AssertAsync(() => TableFingerprint.AssertEqualAsync(database.DataSource, "fields", _target, "fields", "id"));

        JsonElement status = default;
        await Eventually.AssertAsync(async () =>
        {
            status = await host.GetJsonAsync("status");
            var only = Assert.Single(status.GetProperty("syncs").EnumerateArray());
            Assert.Equal(SyncStates.Idle, only.GetProperty("state").GetString());
            Assert.Equal(11, only.GetProperty("rowsApplied").GetInt64());
            Assert.NotNull(status.GetProperty("listener").GetProperty("lastNotificationAt").GetString());
        });

        Assert.Equal(["syncs", "listener", "pools", "version", "slots"], status.EnumerateObject().Select(p => p.Name));
        var sync = status.GetProperty("syncs")[0];
        Assert.Equal(SyncFields, sync.EnumerateObject().Select(p => p.Name));
        Assert.Equal("fields", sync.GetProperty("name").GetString());
        Assert.Equal("src:public.fields", sync.GetProperty("source").GetString());
        Assert.Equal("tgt:public.fields", sync.GetProperty("target").GetString());
        Assert.True(sync.GetProperty("batchesApplied").GetInt64() >= 1);
        Assert.Equal(0, sync.GetProperty("pendingRows").GetInt64());
        Assert.Equal(JsonValueKind.Number, sync.GetProperty("lagSeconds").ValueKind);
        Assert.Equal(0, sync.GetProperty("lagSeconds").GetDouble());
        Assert.Equal(0, sync.GetProperty("restarts").GetInt32());
        Assert.Equal(JsonValueKind.Null, sync.GetProperty("lastError").ValueKind);
        Assert.Equal(JsonValueKind.Null, sync.GetProperty("snapshot").ValueKind);
        Assert.Equal(0, sync.GetProperty("deadLetters").GetInt64());
        var lastApplied = Iso8601(sync.GetProperty("lastAppliedAt"));
        Assert.InRange(lastApplied, before.AddSeconds(-1), DateTimeOffset.UtcNow.AddSeconds(1));

        var listener = status.GetProperty("listener");
        Assert.Equal(["connected", "lastNotificationAt", "reconnects"], listener.EnumerateObject().Select(p => p.Name));
        Assert.True(listener.GetProperty("connected").GetBoolean());
        Assert.InRange(Iso8601(listener.GetProperty("lastNotificationAt")), before.AddSeconds(-1), DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.Equal(0, listener.GetProperty("reconnects").GetInt32());

        var pools = status.GetProperty("pools").EnumerateArray().ToArray();
        Assert.All(pools, p => Assert.Equal(["database", "role", "leased", "max"], p.EnumerateObject().Select(f => f.Name)));
        Assert.Equal(
            ["src/read", "src/write", "tgt/read", "tgt/write"],
            pools.Select(p => $"{p.GetProperty("database").GetString()}/{p.GetProperty("role").GetString()}").Order(StringComparer.Ordinal));
        Assert.All(pools, p => Assert.Equal(10, p.GetProperty("max").GetInt32()));
        Assert.All(pools, p => Assert.InRange(p.GetProperty("leased").GetInt32(), 0, 10));

        Assert.Equal(SyncEngine.Version, status.GetProperty("version").GetString());
    }

    [Fact]
    public async Task Status_of_one_sync_is_its_object_and_an_unknown_sync_is_a_404_with_a_json_error()
    {
        await TablesAsync("single", rows: 10);
        await TablesAsync("other", rows: 10);
        await using var host = await AdminHost.StartAsync(Databases(), [Sync("single"), Sync("other")]);
        await host.WaitForStateAsync("other", SyncStates.Idle);

        var single = await host.WaitForStateAsync("single", SyncStates.Idle);

        Assert.Equal(SyncFields, single.EnumerateObject().Select(p => p.Name));
        Assert.Equal("single", single.GetProperty("name").GetString());
        var all = await host.GetJsonAsync("status");
        Assert.Equal(["other", "single"], all.GetProperty("syncs").EnumerateArray().Select(s => s.GetProperty("name").GetString()));

        using var missing = await host.Client.GetAsync("status/nonexistent");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/json", missing.Content.Headers.ContentType?.MediaType);
        Assert.Equal("""{"error":"no sync named 'nonexistent'"}""", await missing.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_paused_sync_reports_paused_with_its_pending_rows_and_their_lag_and_catches_up_when_resumed()
    {
        await TablesAsync("held", rows: 10);
        await using var host = await AdminHost.StartAsync(Databases(), [Sync("held")]);
        await host.WaitForStateAsync("held", SyncStates.Idle);

        using var paused = await host.Client.PostAsync("syncs/held/pause", null);
        Assert.Equal(HttpStatusCode.OK, paused.StatusCode);
        Assert.Equal("""{"sync":"held","state":"paused"}""", await paused.Content.ReadAsStringAsync());
        await host.WaitForStateAsync("held", SyncStates.Paused);
        await database.ExecuteAsync("INSERT INTO held SELECT g, 'while paused' FROM generate_series(11, 15) g");

        var waiting = await Eventually.ValueAsync(
            () => host.GetJsonAsync("status/held"),
            s => s.GetProperty("pendingRows").GetInt64() == 5 && s.GetProperty("lagSeconds").GetDouble() > 0);
        Assert.Equal(SyncStates.Paused, waiting.GetProperty("state").GetString());
        Assert.Equal(5, waiting.GetProperty("pendingRows").GetInt64());
        Assert.True(waiting.GetProperty("lagSeconds").GetDouble() > 0, waiting.ToString());
        Assert.Equal(0, waiting.GetProperty("rowsApplied").GetInt64());

        using var resumed = await host.Client.PostAsync("syncs/held/resume", null);
        Assert.Equal(HttpStatusCode.OK, resumed.StatusCode);
        Assert.Equal("""{"sync":"held","state":"streaming"}""", await resumed.Content.ReadAsStringAsync());
        await Eventually.AssertAsync(() => TableFingerprint.AssertEqualAsync(database.DataSource, "held", _target, "held", "id"));
        var caughtUp = await Eventually.ValueAsync(
            () => host.GetJsonAsync("status/held"),
            s => s.GetProperty("state").GetString() == SyncStates.Idle && s.GetProperty("rowsApplied").GetInt64() == 5);
        Assert.Equal(5, caughtUp.GetProperty("rowsApplied").GetInt64());
        Assert.Equal(0, caughtUp.GetProperty("pendingRows").GetInt64());
        Assert.Equal(0, caughtUp.GetProperty("lagSeconds").GetDouble());
    }

    [Fact]
    public async Task A_failing_sync_reports_failing_with_its_last_error_and_restarts_while_the_others_stay_idle()
    {
        await TablesAsync("fine", rows: 1);
        await database.ExecuteAsync("CREATE TABLE refused (id int PRIMARY KEY, v text)");
        await EngineHarness.ExecuteAsync(_target, "CREATE TABLE refused (id int PRIMARY KEY, v text CHECK (v <> 'forbidden'))");
        await using var host = await AdminHost.StartAsync(Databases(), [Sync("fine"), Sync("refused")]);
        await host.WaitForStateAsync("refused", SyncStates.Idle);
        var before = DateTimeOffset.UtcNow;

        await database.ExecuteAsync("INSERT INTO refused VALUES (1, 'forbidden')");

        var failing = await host.WaitForStateAsync("refused", SyncStates.Failing);
        var lastError = failing.GetProperty("lastError");
        Assert.Equal(["message", "at"], lastError.EnumerateObject().Select(p => p.Name));
        Assert.Contains("23514", lastError.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.InRange(Iso8601(lastError.GetProperty("at")), before.AddSeconds(-1), DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.True(failing.GetProperty("restarts").GetInt32() >= 1);
        Assert.True(failing.GetProperty("pendingRows").GetInt64() >= 0);
        Assert.Equal(JsonValueKind.Number, failing.GetProperty("lagSeconds").ValueKind);
        var fine = await host.WaitForStateAsync("fine", SyncStates.Idle);
        Assert.Equal(JsonValueKind.Null, fine.GetProperty("lastError").ValueKind);

        await EngineHarness.ExecuteAsync(_target, "ALTER TABLE refused DROP CONSTRAINT refused_v_check");
        var recovered = await host.WaitForStateAsync("refused", SyncStates.Idle);
        Assert.Equal(JsonValueKind.Null, recovered.GetProperty("lastError").ValueKind);
        Assert.True(recovered.GetProperty("restarts").GetInt32() >= 1);
    }

    [Fact]
    public async Task A_sync_copying_its_table_reports_snapshotting_with_its_progress()
    {
        await TablesAsync("copied", rows: 2000);
        await using var host = await AdminHost.StartAsync(Databases(), [Sync("copied")]);
        await host.WaitForStateAsync("copied", SyncStates.Idle);

        // The resync's copy waits for this lock: the sync stays in its snapshot for as long as the test needs.
        await using (var blocker = await database.DataSource.OpenConnectionAsync())
        await using (var transaction = await blocker.BeginTransactionAsync())
        {
            await using (var lockTable = new NpgsqlCommand("LOCK TABLE copied IN ACCESS EXCLUSIVE MODE", blocker, transaction))
            {
                await lockTable.ExecuteNonQueryAsync();
            }

            using var resync = await host.Client.PostAsync("syncs/copied/resync", null);
            Assert.Equal(HttpStatusCode.OK, resync.StatusCode);
            Assert.Equal("""{"sync":"copied","state":"snapshotting"}""", await resync.Content.ReadAsStringAsync());

            var copying = await host.WaitForStateAsync("copied", SyncStates.Snapshotting);
            var snapshot = copying.GetProperty("snapshot");
            Assert.Equal(["rowsCopied", "rowsEstimated", "rowsPerSecond", "eta"], snapshot.EnumerateObject().Select(p => p.Name));
            Assert.Equal(0, snapshot.GetProperty("rowsCopied").GetInt64());
            Assert.Equal(JsonValueKind.Number, snapshot.GetProperty("rowsEstimated").ValueKind);
            Assert.Equal(JsonValueKind.Number, snapshot.GetProperty("rowsPerSecond").ValueKind);
            Assert.Equal(JsonValueKind.Null, snapshot.GetProperty("eta").ValueKind);
            await transaction.RollbackAsync();
        }

        var done = await host.WaitForStateAsync("copied", SyncStates.Idle);
        Assert.Equal(JsonValueKind.Null, done.GetProperty("snapshot").ValueKind);
        await TableFingerprint.AssertEqualAsync(database.DataSource, "copied", _target, "copied", "id");
    }

    internal static DateTimeOffset Iso8601(JsonElement value) =>
        DateTimeOffset.ParseExact(value.GetString()!, "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture);

    private static string Sync(string table) => $"{{ name = {table}, source = \"src:public.{table}\", target = \"tgt:public.{table}\" }}";

    private async Task TablesAsync(string table, int rows)
    {
        await database.ExecuteAsync($"CREATE TABLE {table} (id int PRIMARY KEY, v text); INSERT INTO {table} SELECT g, 'v' || g FROM generate_series(1, {rows}) g");
        await EngineHarness.ExecuteAsync(_target, $"CREATE TABLE {table} (id int PRIMARY KEY, v text)");
    }

    private Dictionary<string, string> Databases() => new() { ["src"] = database.ConnectionString, ["tgt"] = _targetConnectionString };
}
