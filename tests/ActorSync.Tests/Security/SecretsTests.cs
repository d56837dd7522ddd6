using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using ActorSync.Cli;
using ActorSync.Sql;
using ActorSync.Tests.Support;
using Npgsql;

namespace ActorSync.Tests.Security;

/// <summary>
/// Issue 9: no password appears in logs, <c>/status</c>, <c>/metrics</c>, <c>config render</c> without
/// <c>--show-secrets</c>, or error messages. ActorSync connects as a role whose password is distinctive (and awkward: a
/// semicolon and a double quote), then everything it prints — a real <c>actorsync run</c> through failures, every admin
/// answer, every CLI command, including the ones that fail — is searched for it.
/// </summary>
public sealed partial class SecretsTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>
{
    private const string Token = "admin-token-that-stays-secret";

    [Fact]
    public async Task No_output_of_a_real_run_or_of_any_command_contains_a_password_or_the_token()
    {
        var marker = Convert.ToHexString(RandomNumberGenerator.GetBytes(8));
        var password = $"pw;\"{marker}";
        var wrongMarker = Convert.ToHexString(RandomNumberGenerator.GetBytes(8));
        var role = "secret_" + marker.ToLowerInvariant();
        var targetDatabase = await database.CreateDatabaseAsync("tgt");
        await using var target = NpgsqlDataSource.Create(await SharedPostgresServer.GetConnectionStringAsync(targetDatabase));
        await database.ExecuteAsync($"CREATE ROLE {role} LOGIN SUPERUSER PASSWORD {Literal.Quote(password)}");
        var texts = new StringBuilder();
        try
        {
            await database.ExecuteAsync("CREATE TABLE guarded (id int PRIMARY KEY, v text); INSERT INTO guarded VALUES (1, 'a')");
            await EngineHarness.ExecuteAsync(target, "CREATE TABLE guarded (id int PRIMARY KEY, v text CHECK (v <> 'forbidden'))");
            var source = await AsRoleAsync(database.DatabaseName, role, password);
            var other = await AsRoleAsync(targetDatabase, role, password);
            string[] syncs = ["{ name = guarded, source = \"src:public.guarded\", target = \"tgt:public.guarded\" }"];
            var admin = $"admin {{ enabled = true, url = \"http://127.0.0.1:0\", token = \"{Token}\" }}";
            using var config = ConfigFile.Write(new Dictionary<string, string> { ["src"] = source, ["tgt"] = other }, syncs, admin);
            using var wrong = ConfigFile.Write(
                new Dictionary<string, string> { ["src"] = source, ["tgt"] = ConfigFile.WithPassword(other, $"wrong;\"{wrongMarker}") }, syncs);
            using var misplaced = CliRun.WriteConfig($"actorsync {{ databases {{ src = {ConfigFile.Quote(source)} }}, syncs = [] }}");

            // Before and beside a run: every command that reads the configuration, the ones that refuse it too.
            var (renderCode, rendered) = await CliRun.InvokeAsync("config", "render", config.Path, "--show-secrets");
            Assert.True(renderCode == ExitCodes.Ok && rendered.Contains(marker, StringComparison.Ordinal), "the test must see the password where it is asked for");
            foreach (var (arguments, exitCode) in new (string[], int)[]
                     {
                         (["config", "render", config.Path], ExitCodes.Ok),
                         (["config", "check", config.Path], ExitCodes.Ok),
                         (["config", "check", misplaced.Path], ExitCodes.BadInput),
                         (["config", "render", misplaced.Path], ExitCodes.Ok),
                         (["check", "--config", misplaced.Path], ExitCodes.BadInput),
                         (["check", "--config", config.Path], ExitCodes.Ok),
                         (["check", "--config", config.Path, "--dry-run"], ExitCodes.Ok),
                         (["check", "--config", wrong.Path], ExitCodes.BadInput),
                         (["run", "--config", wrong.Path], ExitCodes.BadInput),
                     })
            {
                var (code, output) = await CliRun.InvokeAsync(arguments);
                Assert.True(code == exitCode, $"actorsync {string.Join(' ', arguments)} exited {code}, not {exitCode}:\n{output}");
                texts.Append(output);
            }

            await using var run = ActorSyncProcess.Start(["run", "--config", config.Path]);
            await run.WaitForOutputAsync("Sync guarded: caught up", TimeSpan.FromSeconds(60));
            var url = ListeningLine().Match(run.Output).Groups[1].Value;
            using var client = new HttpClient { BaseAddress = new Uri(url + "/") };

            // Failures while it runs: a constraint the target refuses, then the role's password changed under it, with every
            // connection cut so that each one has to log in again and is refused.
            await database.ExecuteAsync("INSERT INTO guarded VALUES (2, 'forbidden')");
            await run.WaitForOutputAsync("23514", TimeSpan.FromSeconds(30));
            await database.ExecuteAsync($"ALTER ROLE {role} PASSWORD {Literal.Quote("changed-" + Guid.NewGuid())}");
            await database.ExecuteAsync($"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '{role}'");
            await run.WaitForOutputAsync("28P01", TimeSpan.FromSeconds(30));
            texts.Append(await AnswersAsync(client, url));

            await database.ExecuteAsync($"ALTER ROLE {role} PASSWORD {Literal.Quote(password)}");
            await EngineHarness.ExecuteAsync(target, "ALTER TABLE guarded DROP CONSTRAINT guarded_v_check");
            await Eventually.AssertAsync(() => TableFingerprint.AssertEqualAsync(database.DataSource, "guarded", target, "guarded", "id"));
            texts.Append(await AnswersAsync(client, url));
            run.Terminate();
            Assert.Equal(ExitCodes.Ok, await run.WaitForExitAsync(TimeSpan.FromSeconds(30)));
            texts.Append(run.Output);

            var all = texts.ToString();
            Assert.Contains("28P01: password authentication failed", all, StringComparison.Ordinal); // the failures were reported ...
            Assert.DoesNotContain(marker, all, StringComparison.Ordinal);                                // ... never with the password
            Assert.DoesNotContain(wrongMarker, all, StringComparison.Ordinal);
            Assert.DoesNotContain(Token, all, StringComparison.Ordinal);
            Assert.DoesNotContain(new NpgsqlConnectionStringBuilder(database.ConnectionString).Password!, all, StringComparison.Ordinal);
            Assert.DoesNotContain(PasswordSetting().Matches(all), setting => setting.Value != "***");
        }
        finally
        {
            foreach (var name in new[] { database.DatabaseName, targetDatabase })
            {
                await using var connection = new NpgsqlConnection(await SharedPostgresServer.GetConnectionStringAsync(name));
                await connection.OpenAsync();
                await using var drop = new NpgsqlCommand($"DROP OWNED BY {role} CASCADE", connection);
                await drop.ExecuteNonQueryAsync();
            }

            await database.ExecuteAsync($"DROP ROLE {role}");
        }
    }

    [Fact]
    public async Task A_connection_string_written_where_an_object_belongs_is_masked_in_every_message()
    {
        var marker = Convert.ToHexString(RandomNumberGenerator.GetBytes(8));
        using var config = CliRun.WriteConfig($"actorsync {{ databases {{ main = \"Host=db;Username=sync;Password={marker}\" }}, syncs = [] }}");

        foreach (var command in new[] { new[] { "config", "check", config.Path }, ["check", "--config", config.Path], ["run", "--config", config.Path] })
        {
            var (exitCode, output) = await CliRun.InvokeAsync(command);
            Assert.Equal(ExitCodes.BadInput, exitCode);
            Assert.Contains("databases.main: expected an object, found 'Host=db;Username=sync;Password=***", output, StringComparison.Ordinal);
            Assert.DoesNotContain(marker, output, StringComparison.Ordinal);
        }

        var error = Assert.Throws<ActorSync.Configuration.InvalidConfigurationException>(() => ActorSync.Configuration.ActorSyncConfiguration.Load(config.Path));
        Assert.DoesNotContain(marker, error.Message, StringComparison.Ordinal);
    }

    private static async Task<string> AnswersAsync(HttpClient client, string url)
    {
        var answers = new StringBuilder();
        foreach (var path in new[] { "status", "status/guarded", "metrics", "health/live", "health/ready" })
        {
            using var response = await client.GetAsync(path);
            answers.Append(response.Headers).Append(await response.Content.ReadAsStringAsync()).Append('\n');
        }

        foreach (var token in new[] { null, "wrong", Token })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "syncs/guarded/resync");
            request.Headers.Authorization = token is null ? null : new AuthenticationHeaderValue("Bearer", token);
            using var response = await client.SendAsync(request);
            answers.Append(response.Headers).Append(await response.Content.ReadAsStringAsync()).Append('\n');
        }

        foreach (var arguments in new[] { new[] { "status", "--url", url }, ["status", "--url", url, "--json"], ["health", "--url", url] })
        {
            answers.Append((await CliRun.InvokeAsync(arguments)).Output);
        }

        return answers.ToString();
    }

    private static async Task<string> AsRoleAsync(string database, string role, string password) =>
        new NpgsqlConnectionStringBuilder(await SharedPostgresServer.GetConnectionStringAsync(database)) { Username = role, Password = password }.ConnectionString;

    [GeneratedRegex(@"Admin endpoint listening on (http://[^;,\s]+)")]
    private static partial Regex ListeningLine();

    /// <summary>The value after any <c>Password=</c> or <c>pwd=</c>: only <c>***</c> may follow.</summary>
    [GeneratedRegex(@"(?<=\b(?:password|pwd)\s*=\s*)[^;\s'""]{0,3}", RegexOptions.IgnoreCase)]
    private static partial Regex PasswordSetting();
}
