using Npgsql;

namespace ActorSync.Tests.Support;

/// <summary>Writes ActorSync HOCON configurations for tests into a temporary folder (deleted with it).</summary>
public sealed class ConfigFile : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("actorsync-conf-").FullName;

    public string Path => System.IO.Path.Combine(_folder, "actorsync.conf");

    /// <summary>
    /// A configuration with the given databases (name to connection string) and syncs (HOCON objects);
    /// <paramref name="databaseSettings"/> adds fields to a database's block (e.g. <c>capture-mode = wal</c>).
    /// </summary>
    public static ConfigFile Write(
        IReadOnlyDictionary<string, string> databases, IEnumerable<string> syncs, string extra = "", IReadOnlyDictionary<string, string>? databaseSettings = null)
    {
        var file = new ConfigFile();
        var dbs = string.Join("\n", databases.Select(d =>
            $"    {d.Key} {{ connection-string = {Quote(d.Value)}{(databaseSettings?.TryGetValue(d.Key, out var more) == true ? ", " + more : "")} }}"));
        File.WriteAllText(file.Path, $$"""
            actorsync {
              databases {
            {{dbs}}
              }
              defaults { poll-interval = 1s, backoff { min = 100ms, max = 2s } }
              admin { enabled = false }
              syncs = [
                {{string.Join("\n    ", syncs)}}
              ]
              {{extra}}
            }
            """);
        return file;
    }

    /// <summary>A connection string like <paramref name="connectionString"/> with another password.</summary>
    public static string WithPassword(string connectionString, string password) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Password = password }.ConnectionString;

    public static string Quote(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
