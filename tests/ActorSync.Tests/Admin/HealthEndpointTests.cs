using System.Net;
using System.Text.Json;
using ActorSync.Actors;
using ActorSync.Tests.Support;
using Npgsql;

namespace ActorSync.Tests.Admin;

/// <summary><c>GET /health/live</c> and <c>GET /health/ready</c> (ASP.NET Core health checks) against real syncs (issue 7).</summary>
public sealed class HealthEndpointTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>
{
    [Fact]
    public async Task Ready_is_503_with_the_reason_while_a_sync_is_starting_and_200_once_every_sync_is_past_it()
    {
        await database.ExecuteAsync("CREATE TABLE slow (id int PRIMARY KEY, v text); INSERT INTO slow VALUES (1, 'a')");
        await using var blocker = await database.DataSource.OpenConnectionAsync();
        await using var transaction = await blocker.BeginTransactionAsync();
        await using (var lockTable = new NpgsqlCommand("LOCK TABLE slow IN ACCESS EXCLUSIVE MODE", blocker, transaction))
        {
            // Installing capture needs a lock on the table: the sync cannot get past starting while this is held.
            await lockTable.ExecuteNonQueryAsync();
        }

        await using var host = await AdminHost.StartAsync(
            new Dictionary<string, string> { ["src"] = database.ConnectionString },
            ["{ name = slow, source = \"src:public.slow\", target = \"src:public.slow_copy\", create-target = true }"]);

        var (code, body) = await Eventually.ValueAsync(
            () => GetAsync(host, "health/ready"),
            answer => answer.Body.GetProperty("reasons").EnumerateArray().Any(r => r.GetString() == "sync 'slow' is starting"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, code);
        Assert.Equal("unhealthy", body.GetProperty("status").GetString());
        Assert.Contains("sync 'slow' is starting", body.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(SyncStates.Starting, (await host.GetJsonAsync("status/slow")).GetProperty("state").GetString());
        var (liveCode, live) = await GetAsync(host, "health/live");
        Assert.Equal(HttpStatusCode.OK, liveCode);
        Assert.Equal("healthy", live.GetProperty("status").GetString());

        await transaction.RollbackAsync();

        var (readyCode, ready) = await Eventually.ValueAsync(() => GetAsync(host, "health/ready"), answer => answer.Code == HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.OK, readyCode);
        Assert.Equal("""{"status":"healthy","reasons":[]}""", ready.GetRawText());
    }

    [Fact]
    public async Task Ready_is_503_naming_the_listener_that_cannot_connect()
    {
        var unreachable = ConfigFile.WithPassword(database.ConnectionString, "not-the-password");
        await using var host = await AdminHost.StartAsync(
            new Dictionary<string, string> { ["away"] = unreachable },
            ["{ name = stranded, source = \"away:public.stranded\", target = \"away:public.stranded_copy\" }"]);

        // Wait for the listener's own failed attempt: the sync can report its 28P01 first, while the listener's reason
        // still says only that it is not connected.
        var (code, body) = await Eventually.ValueAsync(
            () => GetAsync(host, "health/ready"),
            answer => answer.Body.GetProperty("reasons").EnumerateArray().Any(
                r => r.GetString()!.StartsWith("the listener on database 'away' is not connected: 28P01", StringComparison.Ordinal)));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, code);
        var reasons = body.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()!).ToArray();
        Assert.Contains(reasons, r => r.StartsWith("the listener on database 'away' is not connected: 28P01", StringComparison.Ordinal));
        var status = await host.GetJsonAsync("status");
        Assert.False(status.GetProperty("listener").GetProperty("connected").GetBoolean());
        Assert.Equal(SyncStates.Failing, (await host.WaitForStateAsync("stranded", SyncStates.Failing)).GetProperty("state").GetString());
    }

    [Fact]
    public async Task A_failing_sync_leaves_the_service_ready_but_degraded_with_its_error_as_the_reason()
    {
        await database.ExecuteAsync("""
            CREATE TABLE strict (id int PRIMARY KEY, v text);
            CREATE TABLE strict_copy (id int PRIMARY KEY, v text CHECK (v <> 'forbidden'));
            """);
        await using var host = await AdminHost.StartAsync(
            new Dictionary<string, string> { ["src"] = database.ConnectionString },
            ["{ name = strict, source = \"src:public.strict\", target = \"src:public.strict_copy\" }"]);
        await host.WaitForStateAsync("strict", SyncStates.Idle);

        await database.ExecuteAsync("INSERT INTO strict VALUES (1, 'forbidden')");
        await host.WaitForStateAsync("strict", SyncStates.Failing);

        var (code, body) = await Eventually.ValueAsync(() => GetAsync(host, "health/ready"), answer => answer.Body.GetProperty("status").GetString() == "degraded");
        Assert.Equal(HttpStatusCode.OK, code);
        Assert.Equal("degraded", body.GetProperty("status").GetString());
        Assert.StartsWith("sync 'strict' is failing: 23514", body.GetProperty("reasons")[0].GetString(), StringComparison.Ordinal);
    }

    private static async Task<(HttpStatusCode Code, JsonElement Body)> GetAsync(AdminHost host, string path)
    {
        using var response = await host.Client.GetAsync(path);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }
}
