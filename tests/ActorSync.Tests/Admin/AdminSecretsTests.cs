using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using ActorSync.Actors;
using ActorSync.Cli;
using ActorSync.Tests.Support;
using Npgsql;

namespace ActorSync.Tests.Admin;

/// <summary>
/// "No response or log line ever contains a password or connection string" (issue 7): every answer of every endpoint,
/// and every log line, searched for the passwords, the token and the connection strings.
/// </summary>
public sealed partial class AdminSecretsTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>
{
    private const string Token = "t0ken-that-must-stay-secret";

    [Fact]
    public async Task No_response_or_log_line_contains_a_password_a_connection_string_or_the_token()
    {
        await database.ExecuteAsync("CREATE TABLE guarded (id int PRIMARY KEY, v text); INSERT INTO guarded VALUES (1, 'a')");
        var wrongPassword = "Wr0ng-" + Guid.NewGuid().ToString("N");
        var unreachable = ConfigFile.WithPassword(database.ConnectionString, wrongPassword);
        await using var host = await AdminHost.StartAsync(
            new Dictionary<string, string> { ["src"] = database.ConnectionString, ["away"] = unreachable },
            [
                "{ name = guarded, source = \"src:public.guarded\", target = \"src:public.guarded_copy\", create-target = true }",
                "{ name = stranded, source = \"away:public.stranded\", target = \"away:public.stranded_copy\" }",
            ],
            Token);
        await host.WaitForStateAsync("guarded", SyncStates.Idle);
        await host.WaitForStateAsync("stranded", SyncStates.Failing);
        await database.ExecuteAsync("INSERT INTO guarded VALUES (2, 'b')");

        var answers = new StringBuilder();
        foreach (var path in new[] { "status", "status/guarded", "status/stranded", "status/absent", "health/live", "health/ready", "metrics" })
        {
            using var response = await host.Client.GetAsync(path);
            answers.Append(response.Headers).Append(response.Content.Headers).Append(await response.Content.ReadAsStringAsync()).Append('\n');
        }

        foreach (var (path, token) in new[] { ("syncs/guarded/pause", null), ("syncs/guarded/pause", "wrong"), ("syncs/stranded/resync", Token), ("syncs/absent/resume", Token) })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, path);
            request.Headers.Authorization = token is null ? null : new AuthenticationHeaderValue("Bearer", token);
            using var response = await host.Client.SendAsync(request);
            answers.Append(response.Headers).Append(response.Content.Headers).Append(await response.Content.ReadAsStringAsync()).Append('\n');
        }

        var text = answers.ToString();
        Assert.Contains("28P01", text, StringComparison.Ordinal); // the failure is reported ...
        AssertNoSecret(text, wrongPassword);                        // ... without what was tried
        AssertNoSecret(host.Logs, wrongPassword);
        Assert.DoesNotContain(Token, text + host.Logs, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Actorsync_run_serves_the_admin_endpoint_and_neither_it_nor_the_cli_prints_a_password()
    {
        await database.ExecuteAsync("CREATE TABLE served (id int PRIMARY KEY, v text); INSERT INTO served VALUES (1, 'a')");
        using var config = ConfigFile.Write(
            new Dictionary<string, string> { ["src"] = database.ConnectionString },
            ["{ name = served, source = \"src:public.served\", target = \"src:public.served_copy\", create-target = true }"],
            $"admin {{ enabled = true, url = \"http://127.0.0.1:0\", token = \"{Token}\" }}");
        await using var run = ActorSyncProcess.Start(["run", "--config", config.Path]);
        await run.WaitForOutputAsync("Sync served: caught up", TimeSpan.FromSeconds(60));
        var url = ListeningLine().Match(run.Output).Groups[1].Value;
        Assert.StartsWith("http://127.0.0.1:", url, StringComparison.Ordinal);
        Assert.Contains("commands: bearer token required", run.Output, StringComparison.Ordinal);

        // The CLI finds the address and the token in a configuration file too.
        using var cliConfig = ConfigFile.Write(
            new Dictionary<string, string> { ["src"] = database.ConnectionString },
            ["{ name = served, source = \"src:public.served\", target = \"src:public.served_copy\" }"],
            $"admin {{ url = \"{url}\", token = \"{Token}\" }}");
        var outputs = new StringBuilder();
        foreach (var (arguments, expected) in new (string[], int)[]
                 {
                     (["status", "--url", url], ExitCodes.Ok),
                     (["status", "--url", url, "--json"], ExitCodes.Ok),
                     (["health", "--url", url], ExitCodes.Ok),
                     (["pause", "served", "--url", url], ExitCodes.Failure),
                     (["pause", "served", "--url", url, "--token", Token], ExitCodes.Ok),
                     (["resume", "served", "--config", cliConfig.Path], ExitCodes.Ok),
                 })
        {
            var (exitCode, output) = await ActorSyncProcess.RunAsync(arguments);
            Assert.True(expected == exitCode, $"actorsync {string.Join(' ', arguments)} exited {exitCode}, not {expected}:\n{output}");
            outputs.Append(output);
        }

        Assert.Contains("sync served: paused", outputs.ToString(), StringComparison.Ordinal);
        run.Terminate();
        Assert.Equal(ExitCodes.Ok, await run.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        AssertNoSecret(outputs + run.Output, new NpgsqlConnectionStringBuilder(database.ConnectionString).Password!);
    }

    private void AssertNoSecret(string text, string password)
    {
        Assert.DoesNotContain(password, text, StringComparison.Ordinal);
        Assert.DoesNotContain(new NpgsqlConnectionStringBuilder(database.ConnectionString).Password!, text, StringComparison.Ordinal);
        Assert.DoesNotContain("password=", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(database.ConnectionString, text, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"Admin endpoint listening on (http://[^;,\s]+)")]
    private static partial Regex ListeningLine();
}
