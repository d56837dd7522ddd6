using System.Text.RegularExpressions;
using ActorSync.Tests.Support;
using DotNet.Testcontainers.Configurations;
using Npgsql;

namespace ActorSync.Tests.Docker;

/// <summary>
/// What the postgres container does on its first start, in a container of its own set up as docker-compose.yml sets
/// up its postgres service (the script creates a role and databases with fixed names, which must not meet other test
/// classes on the shared server): db/demo/init.sh run by the image's entrypoint, then the compose writer's exact pgbench
/// command inside the container.
/// </summary>
public sealed partial class InitScriptTests : IAsyncLifetime
{
    private const string RolePassword = "init-script-test";
    private PostgresContainer? _server;

    private PostgresContainer Server => _server ?? throw new InvalidOperationException("not initialized");

    public async Task InitializeAsync() => _server = await PostgresContainer.StartAsync(
        configure: builder =>
        {
            // As compose passes it; the superuser's password is the container's own.
            builder = builder.WithEnvironment("ACTORSYNC_DB_PASSWORD", RolePassword);
            foreach (var (source, target, readOnly) in ComposeFileTests.BindMounts("postgres").Concat(ComposeFileTests.BindMounts("writer")))
            {
                builder = builder.WithBindMount(RepositoryFiles.PathOf(source), target, readOnly ? AccessMode.ReadOnly : AccessMode.ReadWrite);
            }

            return builder;
        },
        purpose: "The init script test (it runs the image's first start with the compose file's mounts)");

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

        // The writer service's command in the same image, over TCP as the writer connects, with a short run.
        var arguments = ComposeFileTests.WriterCommand()
            .Select(a => a.StartsWith("--time=", StringComparison.Ordinal) ? "--time=4" : a.StartsWith("--rate=", StringComparison.Ordinal) ? "--rate=50" : a);
        var (exitCode, output) = await Server.ExecAsync(
            ["env", "PGHOST=127.0.0.1", $"PGUSER={Server.UserName}", $"PGPASSWORD={Server.Password}", "PGDATABASE=shop", "pgbench", .. arguments]);
        Assert.True(exitCode == 0, output);
        Assert.Matches(Processed(), output);
        Assert.Contains("number of failed transactions: 0 (0.000%)", output, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"number of transactions actually processed: [1-9]\d*")]
    private static partial Regex Processed();
}
