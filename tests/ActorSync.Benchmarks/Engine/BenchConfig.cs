using Npgsql;

namespace ActorSync.Benchmarks.Engine;

/// <summary>An ActorSync configuration file for the bench servers, one sync per table, deleted on dispose.</summary>
public sealed class BenchConfig : IAsyncDisposable
{
    private BenchConfig(string path) => Path = path;

    public string Path { get; }

    /// <param name="adminPort">Where the admin endpoint listens on loopback; null runs without one.</param>
    public static BenchConfig Write(BenchServers servers, IEnumerable<string> tables, BenchOptions options, int? adminPort = null)
    {
        var path = System.IO.Path.Combine(Directory.CreateTempSubdirectory("actorsync-bench-").FullName, "actorsync.conf");
        string Cs(string connectionString) => new NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = 16 }.ConnectionString;
        var syncs = string.Join("\n    ", tables.Select(t => $"{{ name = {t}, source = \"src:public.{t}\", target = \"tgt:public.{t}\" }}"));
        var parallelism = (options.Parallelism is { } p ? $", snapshot-parallelism = {p}" : "") +
                          (options.SnapshotIndexes is { } indexes ? $", snapshot-indexes = {indexes}" : "");
        var admin = adminPort is { } port ? $"admin {{ url = \"http://127.0.0.1:{port}\" }}" : "admin { enabled = false }";
        File.WriteAllText(path, $$"""
            actorsync {
              databases {
                src { connection-string = "{{Cs(servers.SourceDb)}}", max-connections = 8{{(options.Capture == Capture.CaptureMode.Wal ? $", capture-mode = wal, wal-apply = {options.WalApply.ToString().ToLowerInvariant()}" : "")}} }
                tgt { connection-string = "{{Cs(servers.TargetDb)}}", max-connections = 8 }
              }
              defaults { capture-mode = {{(options.Capture == Capture.CaptureMode.Wal ? "row" : options.Capture.ToString().ToLowerInvariant())}}, batch-size = {{options.BatchSize}}{{parallelism}} }
              {{admin}}
              syncs = [
                {{syncs}}
              ]
            }
            """);
        return new BenchConfig(path);
    }

    public ValueTask DisposeAsync()
    {
        Directory.Delete(System.IO.Path.GetDirectoryName(Path)!, recursive: true);
        return ValueTask.CompletedTask;
    }
}
