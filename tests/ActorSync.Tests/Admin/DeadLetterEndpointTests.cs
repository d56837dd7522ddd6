using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using ActorSync.Actors;
using ActorSync.Tests.Support;

namespace ActorSync.Tests.Admin;

/// <summary>
/// <c>/syncs/{sync}/dead-letters</c>, <c>actorsync dead-letters</c>, and dead letters in status, metrics and health on
/// a running service (issue #19): a poison row is dead-lettered while the rest flows, then retried after the target is
/// fixed.
/// </summary>
public sealed class DeadLetterEndpointTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>
{
    private const string Token = "dead-letter-token";

    [Theory]
    [InlineData("trigger")]
    [InlineData("wal")]
    public async Task A_poison_row_is_dead_lettered_while_the_rest_flows_and_applies_on_retry_once_the_target_is_fixed(string mode)
    {
        var variant = CaptureVariant.For(mode);
        await variant.RequireAsync(database.DataSource);
        try
        {
            await PoisonRowAsync(variant, variant.Wal ? "poisoned_wal" : "poisoned");
        }
        finally
        {
            await variant.CleanUpAsync(database.DataSource);
        }
    }

    private async Task PoisonRowAsync(CaptureVariant variant, string table)
    {
        await using var host = await StartAsync(table, variant);
        await host.WaitForStateAsync(table, SyncStates.Idle);

        await database.ExecuteAsync($"INSERT INTO {table} SELECT g, CASE WHEN g = 42 THEN 1000 ELSE g % 50 END FROM generate_series(2, 300) g");
        await Eventually.AssertAsync(async () =>
        {
            var status = await host.GetJsonAsync($"status/{table}");
            Assert.Equal(1, status.GetProperty("deadLetters").GetInt64());
            Assert.Equal(299L, await CountAsync($"SELECT count(*) FROM {table}_copy"));
        });

        var listed = await SendAsync(host, HttpMethod.Get, $"syncs/{table}/dead-letters", Token);
        Assert.Equal(1, listed.GetProperty("deadLetters").GetInt64());
        var letter = Assert.Single(listed.GetProperty("items").EnumerateArray());
        Assert.Equal(42, letter.GetProperty("key").GetProperty("id").GetInt32());
        Assert.Equal("23514", letter.GetProperty("sqlState").GetString());
        Assert.Contains("below_100", letter.GetProperty("error").GetString(), StringComparison.Ordinal);

        var metrics = await host.Client.GetStringAsync("metrics");
        Assert.Contains($"actorsync_dead_letters{{sync=\"{table}\"}} 1", metrics, StringComparison.Ordinal);
        using (var ready = await host.Client.GetAsync("health/ready"))
        {
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            Assert.Contains($"sync '{table}' has 1 dead letter(s)", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using var config = CliRun.WriteConfig($"actorsync {{ admin {{ token = {ConfigFile.Quote(Token)} }} }}");
        var (exit, output) = await CliRun.InvokeAsync("dead-letters", "list", table, "--url", host.Address.ToString(), "--config", config.Path);
        Assert.Equal(0, exit);
        Assert.True(output.Contains("{\"id\":42}  SQLSTATE 23514, 1 attempt(s)", StringComparison.Ordinal), output);
        (exit, output) = await CliRun.InvokeAsync("status", "--url", host.Address.ToString());
        Assert.Matches(@"DEAD LETTERS", output);

        // Fixed target: retry queues the key again and it applies.
        await database.ExecuteAsync($"ALTER TABLE {table}_copy DROP CONSTRAINT below_100");
        (exit, output) = await CliRun.InvokeAsync(
            "dead-letters", "retry", table, "--key", "{\"id\": 42}", "--url", host.Address.ToString(), "--token", Token);
        Assert.True(exit == 0, output);
        Assert.Contains($"sync {table}: 1 key(s) queued again", output, StringComparison.Ordinal);
        await Eventually.AssertAsync(async () =>
        {
            Assert.Equal(0, (await host.GetJsonAsync($"status/{table}")).GetProperty("deadLetters").GetInt64());
            await TableFingerprint.AssertEqualAsync(database.DataSource, table, database.DataSource, table + "_copy", "id");
        });
        Assert.Equal(0L, await CountAsync($"SELECT count(*) FROM actorsync.dead_letters WHERE sync_name = '{table}'"));
    }

    [Fact]
    public async Task Dead_letter_commands_take_the_token_and_a_key_that_is_json_and_discard_forgets_the_key()
    {
        await using var host = await StartAsync("discarded");
        await host.WaitForStateAsync("discarded", SyncStates.Idle);
        await database.ExecuteAsync("INSERT INTO discarded VALUES (7, 700)");
        await Eventually.AssertAsync(async () =>
            Assert.Equal(1, (await host.GetJsonAsync("status/discarded")).GetProperty("deadLetters").GetInt64()));

        foreach (var (method, path) in new[]
                 {
                     (HttpMethod.Get, "syncs/discarded/dead-letters"), (HttpMethod.Post, "syncs/discarded/dead-letters/retry"),
                     (HttpMethod.Post, "syncs/discarded/dead-letters/discard"),
                 })
        {
            using var refused = await host.Client.SendAsync(new HttpRequestMessage(method, path));
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        using (var badKey = await host.Client.SendAsync(Request(HttpMethod.Post, "syncs/discarded/dead-letters/discard?key=7", Token)))
        {
            Assert.Equal(HttpStatusCode.BadRequest, badKey.StatusCode);
        }

        var (exit, output) = await CliRun.InvokeAsync(
            "dead-letters", "discard", "discarded", "--key", "not json", "--url", host.Address.ToString(), "--token", Token);
        Assert.Equal(2, exit);
        Assert.Contains("--key", output, StringComparison.Ordinal);

        var discarded = await SendAsync(host, HttpMethod.Post, "syncs/discarded/dead-letters/discard?key=" + Uri.EscapeDataString("{\"id\":7}"), Token);
        Assert.Equal(1, discarded.GetProperty("affected").GetInt32());
        Assert.Equal(0, discarded.GetProperty("deadLetters").GetInt64());
        Assert.Equal(0, (await host.GetJsonAsync("status/discarded")).GetProperty("deadLetters").GetInt64());
        using var unknown = await host.Client.SendAsync(Request(HttpMethod.Get, "syncs/nope/dead-letters", Token));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    private async Task<AdminHost> StartAsync(string table, CaptureVariant? variant = null)
    {
        var source = variant?.Source ?? "src";
        await database.ExecuteAsync($"""
            CREATE TABLE {table} (id int PRIMARY KEY, v int NOT NULL); INSERT INTO {table} VALUES (1, 1);
            CREATE TABLE {table}_copy (id int PRIMARY KEY, v int NOT NULL CONSTRAINT below_100 CHECK (v < 100));
            """);
        return await AdminHost.StartAsync(
            new Dictionary<string, string> { [source] = database.ConnectionString },
            [$"{{ name = {table}, source = \"{source}:public.{table}\", target = \"{source}:public.{table}_copy\", on-apply-error = dead-letter }}"],
            Token,
            databaseSettings: variant?.Wal == true ? new Dictionary<string, string> { [source] = "capture-mode = wal" } : null);
    }

    private async Task<long> CountAsync(string sql)
    {
        await using var command = database.DataSource.CreateCommand(sql);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static HttpRequestMessage Request(HttpMethod method, string path, string token) =>
        new(method, path) { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", token) } };

    private static async Task<JsonElement> SendAsync(AdminHost host, HttpMethod method, string path, string token)
    {
        using var response = await host.Client.SendAsync(Request(method, path, token));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{method} {path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}
