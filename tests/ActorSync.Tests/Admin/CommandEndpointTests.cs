using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using ActorSync.Actors;
using ActorSync.Tests.Support;

namespace ActorSync.Tests.Admin;

/// <summary>
/// <c>POST /syncs/{sync}/pause|resume|resync</c> on the real endpoint: the bearer token when <c>admin.token</c> is
/// configured, refusal without one on a non-loopback address, and the answers (issue 7).
/// </summary>
public sealed class CommandEndpointTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>
{
    private const string Token = "correct-horse-battery-staple";

    [Fact]
    public async Task Without_a_token_on_loopback_pause_resume_and_resync_answer_what_the_sync_does_now()
    {
        await using var host = await StartAsync("open");
        await host.WaitForStateAsync("open", SyncStates.Idle);

        await AssertAnswerAsync(await host.Client.PostAsync("syncs/open/pause", null), HttpStatusCode.OK, """{"sync":"open","state":"paused"}""");
        await AssertAnswerAsync(await host.Client.PostAsync("syncs/open/resume", null), HttpStatusCode.OK, """{"sync":"open","state":"streaming"}""");
        await AssertAnswerAsync(await host.Client.PostAsync("syncs/open/resync", null), HttpStatusCode.OK, """{"sync":"open","state":"snapshotting"}""");
        await host.WaitForStateAsync("open", SyncStates.Idle);

        using var unknown = await host.Client.PostAsync("syncs/nope/pause", null);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("no sync named 'nope'", ErrorOf(await unknown.Content.ReadAsStringAsync()));
        Assert.Contains("Admin: pause of sync open requested from 127.0.0.1", host.Logs, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_a_token_configured_only_the_right_bearer_token_is_accepted()
    {
        await using var host = await StartAsync("guarded", token: Token);
        await host.WaitForStateAsync("guarded", SyncStates.Idle);

        foreach (var authorization in new AuthenticationHeaderValue?[]
                 {
                     null,
                     new("Bearer", "wrong"),
                     new("Bearer", Token[..^1]),
                     new("Bearer", Token + "x"),
                     new("Basic", Token),
                 })
        {
            using var refused = await PostAsync(host, "syncs/guarded/pause", authorization);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Equal("Bearer", refused.Headers.WwwAuthenticate.Single().Scheme);
            Assert.Contains("bearer token", ErrorOf(await refused.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        }

        // Access comes first: without the token an unknown sync is a 401 too, and says nothing about which syncs exist.
        using (var probe = await PostAsync(host, "syncs/nope/pause", null))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, probe.StatusCode);
        }

        Assert.Equal(SyncStates.Idle, (await host.WaitForStateAsync("guarded", SyncStates.Idle)).GetProperty("state").GetString());
        await AssertAnswerAsync(await PostAsync(host, "syncs/guarded/pause", new("Bearer", Token)), HttpStatusCode.OK, """{"sync":"guarded","state":"paused"}""");
        await AssertAnswerAsync(await PostAsync(host, "syncs/guarded/resume", new("bearer", Token)), HttpStatusCode.OK, """{"sync":"guarded","state":"streaming"}""");
        using var unknown = await PostAsync(host, "syncs/nope/resync", new("Bearer", Token));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.DoesNotContain(Token, host.Logs, StringComparison.Ordinal);
        Assert.Contains("refused with 401", host.Logs, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_token_on_a_non_loopback_address_every_command_is_refused_with_403_and_status_still_answers()
    {
        await using var host = await StartAsync("exposed", bind: "0.0.0.0");
        await host.WaitForStateAsync("exposed", SyncStates.Idle);

        foreach (var command in new[] { "pause", "resume", "resync" })
        {
            using var refused = await host.Client.PostAsync($"syncs/exposed/{command}", null);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Contains("no admin.token is configured", ErrorOf(await refused.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        }

        Assert.Equal(SyncStates.Idle, (await host.WaitForStateAsync("exposed", SyncStates.Idle)).GetProperty("state").GetString());
        Assert.Contains("commands: refused (no admin.token on a non-loopback address)", host.Logs, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_a_token_on_a_non_loopback_address_the_token_opens_the_commands()
    {
        await using var host = await StartAsync("shared", token: Token, bind: "0.0.0.0");
        await host.WaitForStateAsync("shared", SyncStates.Idle);

        using (var refused = await PostAsync(host, "syncs/shared/pause", null))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        await AssertAnswerAsync(await PostAsync(host, "syncs/shared/pause", new("Bearer", Token)), HttpStatusCode.OK, """{"sync":"shared","state":"paused"}""");
        await host.WaitForStateAsync("shared", SyncStates.Paused);
    }

    private async Task<AdminHost> StartAsync(string table, string? token = null, string bind = "127.0.0.1")
    {
        await database.ExecuteAsync($"CREATE TABLE {table} (id int PRIMARY KEY, v text); INSERT INTO {table} VALUES (1, 'one')");
        return await AdminHost.StartAsync(
            new Dictionary<string, string> { ["src"] = database.ConnectionString },
            [$"{{ name = {table}, source = \"src:public.{table}\", target = \"src:public.{table}_copy\", create-target = true }}"],
            token,
            bind);
    }

    private static async Task<HttpResponseMessage> PostAsync(AdminHost host, string path, AuthenticationHeaderValue? authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path);
        request.Headers.Authorization = authorization;
        return await host.Client.SendAsync(request);
    }

    private static async Task AssertAnswerAsync(HttpResponseMessage response, HttpStatusCode code, string body)
    {
        using (response)
        {
            Assert.Equal(code, response.StatusCode);
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(body, await response.Content.ReadAsStringAsync());
        }
    }

    private static string? ErrorOf(string body) => JsonDocument.Parse(body).RootElement.GetProperty("error").GetString();
}
