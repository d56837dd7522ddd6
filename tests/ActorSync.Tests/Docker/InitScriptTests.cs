using System.Text.RegularExpressions;
using ActorSync.Postgres;
using Npgsql;

namespace ActorSync.Tests.Docker;

/// <summary>
/// What the postgres container does on its first start, done here against a throwaway server of its own (the script
/// creates a role and databases with fixed names, which must not meet other test classes on the shared server):
/// db/demo/init.sh as the image runs it, then the compose writer's exact pgbench command.
/// </summary>
public sealed partial class InitScriptTests : IAsyncLifetime
{
    private const string RolePassword = "init-script-test";
    private TemporaryPostgresServer? _server;

    private TemporaryPostgresServer Server => _server ?? throw new InvalidOperationException("not initialized");

    public async Task InitializeAsync() => _server = await TemporaryPostgresServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Fact]
    public async Task Init_creates_the_role_and_the_demo_databases_and_the_writer_scripts_run_under_pgbench()
    {
        var (exitCode, output) = await RepositoryFiles.RunAsync("sh", ["db/demo/init.sh"], Environment(new Dictionary<string, string>
        {
            // As the postgres image sets them for its init scripts.
            ["POSTGRES_USER"] = Server.UserName,
            ["POSTGRES_DB"] = "postgres",
            ["ACTORSYNC_DB_PASSWORD"] = RolePassword,
            ["ACTORSYNC_DEMO_SQL"] = RepositoryFiles.PathOf("db/demo"),
        }));
        Assert.True(exitCode == 0, output);

        // ActorSync's role logs in with its password and owns the demo tables, so it may install capture on them.
        var asActorSync = new NpgsqlConnectionStringBuilder(Server.GetConnectionString("shop")) { Username = "actorsync", Password = RolePassword, Pooling = false };
        await using (var shop = new NpgsqlConnection(asActorSync.ConnectionString))
        {
            await shop.OpenAsync();
            await using var command = new NpgsqlCommand(
                "SELECT string_agg(tablename || '=' || tableowner, ',' ORDER BY tablename) FROM pg_tables WHERE schemaname = 'public'", shop);
            Assert.Equal("customers=actorsync,order_lines=actorsync,orders=actorsync,products=actorsync", await command.ExecuteScalarAsync());
        }

        asActorSync.Database = "reporting";
        await using (var reporting = new NpgsqlConnection(asActorSync.ConnectionString))
        {
            await reporting.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT tableowner FROM pg_tables WHERE tablename = 'orders'", reporting);
            Assert.Equal("actorsync", await command.ExecuteScalarAsync());
        }

        // The writer service's command, with the scripts' folder and the connection made local and a short run.
        var pgbench = Path.Combine(PostgresBinaries.Find().BinDirectory, "pgbench");
        Assert.True(File.Exists(pgbench), $"pgbench is not next to initdb ({pgbench})");
        var arguments = ComposeFileTests.WriterCommand()
            .Select(a => a.Replace("/writer/", RepositoryFiles.PathOf("db/demo/writer") + "/", StringComparison.Ordinal))
            .Select(a => a.StartsWith("--time=", StringComparison.Ordinal) ? "--time=4" : a.StartsWith("--rate=", StringComparison.Ordinal) ? "--rate=50" : a)
            .ToList();
        (exitCode, output) = await RepositoryFiles.RunAsync(pgbench, arguments, Environment(new Dictionary<string, string> { ["PGDATABASE"] = "shop" }));
        Assert.True(exitCode == 0, output);
        Assert.Matches(Processed(), output);
        Assert.Contains("number of failed transactions: 0 (0.000%)", output, StringComparison.Ordinal);
    }

    private Dictionary<string, string> Environment(Dictionary<string, string> extra)
    {
        var environment = new Dictionary<string, string>
        {
            ["PGHOST"] = "127.0.0.1",
            ["PGPORT"] = Server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["PGUSER"] = Server.UserName,
            ["PGPASSWORD"] = Server.Password,
            ["PATH"] = PostgresBinaries.Find().BinDirectory + Path.PathSeparator + System.Environment.GetEnvironmentVariable("PATH"),
        };
        foreach (var (key, value) in extra)
        {
            environment[key] = value;
        }

        return environment;
    }

    [GeneratedRegex(@"number of transactions actually processed: [1-9]\d*")]
    private static partial Regex Processed();
}
