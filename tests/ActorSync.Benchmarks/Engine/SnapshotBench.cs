using System.Diagnostics;
using System.Globalization;
using ActorSync.Postgres;

namespace ActorSync.Benchmarks.Engine;

/// <summary>
/// Issue 6's figures. <c>copy</c>: seconds to copy a pre-existing table (the engine bench's row shape) with ActorSync,
/// with <c>pg_dump -t | psql</c>, and with native logical replication's initial copy — same servers, same run.
/// <c>memory</c>: the real CLI copies a large table (10,000,000 rows by default) while its peak resident memory is read.
/// </summary>
public static class SnapshotBench
{
    public static async Task CopyAsync(BenchOptions options)
    {
        await using var servers = await BenchServers.StartAsync();
        await LoadAsync(servers, options.Rows);
        var binaries = PostgresBinaries.Find();

        // pg_dump | psql: data only, into the empty target table.
        var dump = await TimeAsync(async () =>
        {
            var script = $"'{binaries.PgDump}' --data-only -t public.bulk -d '{Conninfo(servers.Source)}' | " +
                         $"'{binaries.Psql}' -X -q -d '{Conninfo(servers.Target)}'";
            await ShellAsync(script);
        });
        await CheckCountAsync(servers, options.Rows);
        await BenchServers.ExecuteAsync(servers.TargetDb, "TRUNCATE bulk; CHECKPOINT");

        // Native logical replication: from CREATE SUBSCRIPTION until the target holds every row (as the peers' W3).
        await BenchServers.ExecuteAsync(servers.SourceDb, "CREATE PUBLICATION bench_pub FOR TABLE bulk");
        var native = await TimeAsync(async () =>
        {
            await BenchServers.ExecuteAsync(servers.TargetDb, $"CREATE SUBSCRIPTION bench_sub CONNECTION '{Conninfo(servers.Source)}' PUBLICATION bench_pub");
            await WaitCountAsync(servers.TargetDb, options.Rows);
        });
        await BenchServers.ExecuteAsync(servers.TargetDb, "DROP SUBSCRIPTION bench_sub");
        await BenchServers.ExecuteAsync(servers.SourceDb, "DROP PUBLICATION bench_pub");
        await BenchServers.ExecuteAsync(servers.TargetDb, "TRUNCATE bulk; CHECKPOINT");

        // ActorSync: from start (capture installed first) until the target holds every row.
        await using var config = BenchConfig.Write(servers, ["bulk"], options);
        var actorsync = await TimeAsync(async () =>
        {
            await using var process = CliProcess.Start(["run", "--config", config.Path]);
            await WaitCountAsync(servers.TargetDb, options.Rows);
        });

        Report.Row("snapshot-copy", "pg_dump|psql", "copy_s", dump.TotalSeconds);
        Report.Row("snapshot-copy", "native", "copy_s", native.TotalSeconds);
        Report.Row("snapshot-copy", "actorsync", "copy_s", actorsync.TotalSeconds);
        Report.Row("snapshot-copy", "actorsync", "ratio_to_native", actorsync / native);
        Report.Row("snapshot-copy", "actorsync", "ratio_to_pg_dump", actorsync / dump);
    }

    public static async Task MemoryAsync(BenchOptions options)
    {
        await using var servers = await BenchServers.StartAsync();
        await LoadAsync(servers, options.Rows);
        await using var config = BenchConfig.Write(servers, ["bulk"], options);
        var clock = Stopwatch.StartNew();
        await using var process = CliProcess.Start(["run", "--config", config.Path]);
        var peak = 0.0;
        while (await BenchServers.ScalarAsync<long>(servers.TargetDb, "SELECT count(*) FROM bulk") < options.Rows)
        {
            peak = Math.Max(peak, process.PeakResidentMegabytes());
            await Task.Delay(500);
        }

        var copy = clock.Elapsed;
        peak = Math.Max(peak, process.PeakResidentMegabytes());
        Report.Row("snapshot-memory", "actorsync", "rows", options.Rows);
        Report.Row("snapshot-memory", "actorsync", "copy_s", copy.TotalSeconds);
        Report.Row("snapshot-memory", "actorsync", "rss_peak_mb", peak);
    }

    private static async Task LoadAsync(BenchServers servers, int rows)
    {
        await BenchServers.ExecuteAsync(servers.SourceDb, EngineBench.BulkDdl);
        await BenchServers.ExecuteAsync(servers.TargetDb, EngineBench.BulkDdl);
        await BenchServers.ExecuteAsync(
            servers.SourceDb, "INSERT INTO bulk " + string.Format(CultureInfo.InvariantCulture, EngineBench.BulkRows, rows));
        await BenchServers.ExecuteAsync(servers.SourceDb, "VACUUM ANALYZE bulk");
        await BenchServers.ExecuteAsync(servers.SourceDb, "CHECKPOINT");
        await BenchServers.ExecuteAsync(servers.TargetDb, "CHECKPOINT");
    }

    private static async Task WaitCountAsync(string connectionString, long rows)
    {
        while (await BenchServers.ScalarAsync<long>(connectionString, "SELECT count(*) FROM bulk") < rows)
        {
            await Task.Delay(100);
        }
    }

    private static async Task CheckCountAsync(BenchServers servers, long rows)
    {
        var count = await BenchServers.ScalarAsync<long>(servers.TargetDb, "SELECT count(*) FROM bulk");
        if (count != rows)
        {
            throw new InvalidOperationException($"expected {rows} rows on the target, found {count}");
        }
    }

    private static string Conninfo(TemporaryPostgresServer server) =>
        $"host=127.0.0.1 port={server.Port} dbname=bench user={server.UserName} password={server.Password}";

    private static async Task ShellAsync(string script)
    {
        var start = new ProcessStartInfo("/bin/bash", ["-c", "set -o pipefail; " + script]) { UseShellExecute = false };
        using var process = Process.Start(start)!;
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{script}' failed with exit code {process.ExitCode}");
        }
    }

    private static async Task<TimeSpan> TimeAsync(Func<Task> action)
    {
        var clock = Stopwatch.StartNew();
        await action();
        return clock.Elapsed;
    }
}
