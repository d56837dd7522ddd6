using ActorSync.Configuration;
using ActorSync.Hocon;
using ActorSync.Postgres;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace ActorSync.Demo;

/// <summary>
/// What docker compose sets up, on a throwaway server: the databases <c>shop</c> and <c>reporting</c> from
/// <c>db/demo/shop.sql</c> and <c>db/demo/reporting.sql</c>, and the syncs of <c>config/docker.conf</c> with only the
/// connection strings and the admin address replaced. All three files are embedded in the assembly.
/// </summary>
public static class DemoSetup
{
    /// <summary>The databases the demo creates, in order: the source first.</summary>
    public static readonly IReadOnlyList<string> Databases = ["shop", "reporting"];

    /// <summary>Creates the demo databases with their tables and rows; returns a connection string per database.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> CreateDatabasesAsync(TemporaryPostgresServer server, CancellationToken cancellationToken)
    {
        var connectionStrings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var database in Databases)
        {
            var connectionString = await server.CreateDatabaseAsync(database, cancellationToken);
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand(DemoResources.Read($"db/demo/{database}.sql"), connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
            connectionStrings[database] = connectionString;
        }

        return connectionStrings;
    }

    /// <summary>
    /// <c>config/docker.conf</c> with the demo's connection strings and an admin endpoint on a free loopback port. The
    /// environment is not read: the demo runs the same way wherever it runs.
    /// </summary>
    /// <exception cref="InvalidConfigurationException">The embedded configuration does not validate (a build defect).</exception>
    public static ActorSyncConfiguration Configuration(IReadOnlyDictionary<string, string> connectionStrings)
    {
        var text = DemoResources.Read("config/docker.conf") + "\n# actorsync demo: the same syncs, against its throwaway server\n" +
            string.Concat(connectionStrings.Select(d => $"actorsync.databases.{d.Key}.connection-string = {Quote(d.Value)}\n")) +
            "actorsync.admin.url = \"http://127.0.0.1:0\"\n";
        var configuration = new ConfigurationBuilder()
            .AddHoconString(text, resolveOptions: HoconResolveOptions.WithoutEnvironment)
            .Build();
        return ActorSyncConfiguration.FromConfiguration(configuration, "config/docker.conf (demo)");
    }

    private static string Quote(string value) =>
        "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
