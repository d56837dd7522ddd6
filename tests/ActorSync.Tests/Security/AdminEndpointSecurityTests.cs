using System.Net;
using System.Net.Http.Headers;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using ActorSync.Actors;
using ActorSync.Admin;
using ActorSync.Cli;
using ActorSync.Configuration;
using ActorSync.Tests.Support;

namespace ActorSync.Tests.Security;

/// <summary>
/// Issue 9, the admin endpoint of a real <c>actorsync run</c>: no command without the token (and a refused command changes
/// nothing), tokens compared whole — <see cref="AdminAccess.Matches"/> hashes both sides with SHA-256 and compares the
/// hashes with <c>CryptographicOperations.FixedTimeEquals</c>, so neither the content nor the length of a guess shows in
/// its timing — and loopback unless configured otherwise.
/// </summary>
public sealed partial class AdminEndpointSecurityTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>
{
    private const string Token = "Tok3n-with-some-length-0123456789";

    [Fact]
    public async Task A_real_run_refuses_every_command_without_the_exact_token_and_a_refused_command_changes_nothing()
    {
        await database.ExecuteAsync("CREATE TABLE held (id int PRIMARY KEY, v text); INSERT INTO held VALUES (1, 'a')");
        using var config = ConfigFile.Write(
            new Dictionary<string, string> { ["src"] = database.ConnectionString },
            ["{ name = held, source = \"src:public.held\", target = \"src:public.held_copy\", create-target = true }"],
            $"admin {{ enabled = true, url = \"http://127.0.0.1:0\", token = \"{Token}\" }}");
        await using var run = ActorSyncProcess.Start(["run", "--config", config.Path]);
        await run.WaitForOutputAsync("Sync held: caught up", TimeSpan.FromSeconds(60));
        using var client = new HttpClient { BaseAddress = new Uri(ListeningLine().Match(run.Output).Groups[1].Value + "/") };

        // Near misses of every kind: first or last character, shorter, longer, case, other schemes and other places.
        var refusals = 0;
        foreach (var command in new[] { "pause", "resync", "resume" })
        {
            foreach (var (authorization, query, header) in new (AuthenticationHeaderValue?, string, string?)[]
                     {
                         (null, "", null),
                         (new("Bearer", "x" + Token[1..]), "", null),
                         (new("Bearer", Token[..^1] + "x"), "", null),
                         (new("Bearer", Token[..^1]), "", null),
                         (new("Bearer", Token + Token), "", null),
                         (new("Bearer", Token.ToUpperInvariant()), "", null),
                         (new("Basic", Token), "", null),
                         (new("Token", Token), "", null),
                         (null, $"?token={Token}", null),
                         (null, $"?access_token={Token}", null),
                         (null, "", Token),
                     })
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, $"syncs/held/{command}{query}");
                request.Headers.Authorization = authorization;
                if (header is not null)
                {
                    request.Headers.Add("X-Admin-Token", header);
                }

                using var response = await client.SendAsync(request);
                Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{command} with {authorization}{query}: {(int)response.StatusCode}");
                refusals++;
            }

            foreach (var method in new[] { HttpMethod.Get, HttpMethod.Put, HttpMethod.Delete })
            {
                using var response = await client.SendAsync(new HttpRequestMessage(method, $"syncs/held/{command}"));
                Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
            }
        }

        // Nothing happened: not paused, no resync, still streaming what is written.
        await database.ExecuteAsync("INSERT INTO held VALUES (2, 'b')");
        await Eventually.AssertAsync(() => TableFingerprint.AssertEqualAsync(database.DataSource, "held", database.DataSource, "held_copy", "id"));
        // The row is on the target once the batch committed; the sync reports idle a moment later, when it has looked
        // at its delta again and found it empty.
        await Eventually.AssertAsync(async () =>
        {
            using var status = await client.GetAsync("status/held");
            var sync = JsonDocument.Parse(await status.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal(SyncStates.Idle, sync.GetProperty("state").GetString());
        });

        Assert.DoesNotContain("requested from", run.Output, StringComparison.Ordinal);
        Assert.Equal(refusals, Regex.Count(run.Output, "refused with 401"));

        using var accepted = new HttpRequestMessage(HttpMethod.Post, "syncs/held/pause");
        accepted.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        using (var response = await client.SendAsync(accepted))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        run.Terminate();
        Assert.Equal(ExitCodes.Ok, await run.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.DoesNotContain(Token, run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_endpoint_listens_on_loopback_unless_configured_otherwise_and_cannot_be_reached_from_other_addresses()
    {
        // The default, as configured and as the CLI reports it.
        using var bare = CliRun.WriteConfig("actorsync { databases { main { connection-string = \"Host=db\" } }, syncs = [] }");
        var defaults = ActorSyncConfiguration.Load(bare.Path).Options.Admin;
        Assert.True(defaults.Enabled);
        Assert.Equal("http://127.0.0.1:8080", defaults.Url);
        Assert.True(AdminAccess.IsLoopback(defaults.Url));
        var (_, summary) = await CliRun.InvokeAsync("config", "check", bare.Path);
        Assert.Contains("admin: http://127.0.0.1:8080 (no token)", summary, StringComparison.Ordinal);

        // Bound to loopback, the real service answers there and nowhere else.
        await database.ExecuteAsync("CREATE TABLE IF NOT EXISTS near (id int PRIMARY KEY)");
        using var config = ConfigFile.Write(
            new Dictionary<string, string> { ["src"] = database.ConnectionString },
            ["{ name = near, source = \"src:public.near\", target = \"src:public.near_copy\", create-target = true }"],
            "admin { enabled = true, url = \"http://127.0.0.1:0\" }");
        await using var run = ActorSyncProcess.Start(["run", "--config", config.Path]);
        await run.WaitForOutputAsync("Sync near: caught up", TimeSpan.FromSeconds(60));
        var url = new Uri(ListeningLine().Match(run.Output).Groups[1].Value);
        Assert.Contains("commands: loopback only, no token", run.Output, StringComparison.Ordinal);
        using (var client = new HttpClient())
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri(url, "health/live"))).StatusCode);
        }

        foreach (var address in OtherAddresses())
        {
            using var socket = new TcpClient(address.AddressFamily);
            var refused = await Assert.ThrowsAsync<SocketException>(() => socket.ConnectAsync(address, url.Port));
            Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
        }

        run.Terminate();
        await run.WaitForExitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Without_a_token_a_command_sent_from_a_web_page_is_refused_even_on_loopback()
    {
        // Loopback alone does not keep browsers out: any page open on this machine may POST to 127.0.0.1 (a "simple"
        // cross-origin request, sent without a CORS preflight), and a resync of a large table is a denial of service.
        await database.ExecuteAsync("CREATE TABLE IF NOT EXISTS browsed (id int PRIMARY KEY)");
        using var config = ConfigFile.Write(
            new Dictionary<string, string> { ["src"] = database.ConnectionString },
            ["{ name = browsed, source = \"src:public.browsed\", target = \"src:public.browsed_copy\", create-target = true }"],
            "admin { enabled = true, url = \"http://127.0.0.1:0\" }");
        await using var run = ActorSyncProcess.Start(["run", "--config", config.Path]);
        await run.WaitForOutputAsync("Sync browsed: caught up", TimeSpan.FromSeconds(60));
        using var client = new HttpClient { BaseAddress = new Uri(ListeningLine().Match(run.Output).Groups[1].Value + "/") };

        foreach (var origin in new[] { "https://evil.example", "null", client.BaseAddress.GetLeftPart(UriPartial.Authority) })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "syncs/browsed/pause");
            request.Headers.Add("Origin", origin);
            using var response = await client.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"a command from a page of {origin} was answered {(int)response.StatusCode}");
        }

        using (var status = await client.GetAsync("status/browsed"))
        {
            Assert.Equal(SyncStates.Idle, JsonDocument.Parse(await status.Content.ReadAsStringAsync()).RootElement.GetProperty("state").GetString());
        }

        // The CLI (no Origin) still may.
        var (exitCode, output) = await CliRun.InvokeAsync("pause", "browsed", "--url", client.BaseAddress.ToString());
        Assert.True(exitCode == ExitCodes.Ok, output);
        run.Terminate();
        await run.WaitForExitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>The machine's own addresses that are not loopback (where a wildcard bind would also answer).</summary>
    private static IEnumerable<IPAddress> OtherAddresses() => NetworkInterface.GetAllNetworkInterfaces()
        .Where(i => i.OperationalStatus == OperationalStatus.Up)
        .SelectMany(i => i.GetIPProperties().UnicastAddresses)
        .Select(a => a.Address)
        .Where(a => !IPAddress.IsLoopback(a) && a.AddressFamily == AddressFamily.InterNetwork);

    [GeneratedRegex(@"Admin endpoint listening on (http://[^;,\s]+)")]
    private static partial Regex ListeningLine();
}
