using System.Diagnostics;
using System.Globalization;
using ActorSync.Postgres;

namespace ActorSync.Benchmarks.Engine;

/// <summary>
/// Issue 6's figures. <c>copy</c>: seconds to copy a pre-existing table (the engine bench's row shape) with ActorSync,
/// with <c>pg_dump -t | psql</c>, and with native logical replication's initial copy — same servers, same run.
/// With <c>--reps N</c> the three alternate N times and the medians are reported. Each is timed until its own record that
/// the copy committed, and the rows are counted afterwards. <c>memory</c>: the real CLI copies a large table
/// (10,000,000 rows by default) while its peak resident memory is read.
/// </summary>
public static class SnapshotBench
{
    public static async Task CopyAsync(BenchOptions options)
    {
        await using var servers = await BenchServers.StartAsync();
        await LoadAsync(servers, options.Rows);
        var binaries = PostgresBinaries.Find();
        // ActorSync runs as the image ships it (ReadyToRun): the figure counts its process start.
        using var cli = await PublishedCli.PublishAsync();
        var adminPort = FreePort();
        await using var config = BenchConfig.Write(servers, ["bulk"], options, adminPort);
        // The same copy with every target index kept and filled row by row: what deferring them is worth, same run.
        await using var keepConfig = BenchConfig.Write(servers, ["bulk"], options with { SnapshotIndexes = "keep" });
        await BenchServers.ExecuteAsync(servers.SourceDb, "CREATE PUBLICATION bench_pub FOR TABLE bulk");
        var dumps = new List<double>();
        var natives = new List<double>();
        var actorsyncs = new List<double>();
        var resyncs = new List<double>();
        var keeps = new List<double>();
        for (var rep = 0; rep < Math.Max(1, options.Reps); rep++)
        {
            // pg_dump | psql: data only, into the empty target table; timed until psql exits.
            var dump = await TimeAsync(async () =>
            {
                var script = $"'{binaries.PgDump}' --data-only -t public.bulk -d '{Conninfo(servers.Source)}' | " +
                             $"'{binaries.Psql}' -X -q -d '{Conninfo(servers.Target)}'";
                await ShellAsync(script);
            });
            await CheckCountAsync(servers, options.Rows);
            await EmptyTargetAsync(servers);

            // Native logical replication: from CREATE SUBSCRIPTION until the table's initial copy is committed.
            var native = await TimeAsync(async () =>
            {
                await BenchServers.ExecuteAsync(servers.TargetDb, $"CREATE SUBSCRIPTION bench_sub CONNECTION '{Conninfo(servers.Source)}' PUBLICATION bench_pub");
                await WaitUntilAsync(servers.TargetDb, "SELECT coalesce(bool_and(srsubstate IN ('s', 'r')), false) FROM pg_subscription_rel");
            });
            await CheckCountAsync(servers, options.Rows);
            await BenchServers.ExecuteAsync(servers.TargetDb, "DROP SUBSCRIPTION bench_sub");
            await EmptyTargetAsync(servers);

            var (actorsync, resync) = await ActorSyncCopyAsync(servers, cli, config, options.Rows, adminPort);
            var (keep, _) = await ActorSyncCopyAsync(servers, cli, keepConfig, options.Rows);
            dumps.Add(dump.TotalSeconds);
            natives.Add(native.TotalSeconds);
            actorsyncs.Add(actorsync.TotalSeconds);
            resyncs.Add(resync!.Value.TotalSeconds);
            keeps.Add(keep.TotalSeconds);
            Report.Row("snapshot-copy", "pg_dump|psql", $"rep{rep}_copy_s", dump.TotalSeconds);
            Report.Row("snapshot-copy", "native", $"rep{rep}_copy_s", native.TotalSeconds);
            Report.Row("snapshot-copy", "actorsync", $"rep{rep}_copy_s", actorsync.TotalSeconds);
            Report.Row("snapshot-copy", "actorsync-running", $"rep{rep}_copy_s", resync.Value.TotalSeconds);
            Report.Row("snapshot-copy", "actorsync-keep-indexes", $"rep{rep}_copy_s", keep.TotalSeconds);
        }

        Report.Row("snapshot-copy", "pg_dump|psql", "copy_s", Report.Median(dumps));
        Report.Row("snapshot-copy", "native", "copy_s", Report.Median(natives));
        Report.Row("snapshot-copy", "actorsync", "copy_s", Report.Median(actorsyncs));
        Report.Row("snapshot-copy", "actorsync-running", "copy_s", Report.Median(resyncs));
        Report.Row("snapshot-copy", "actorsync-keep-indexes", "copy_s", Report.Median(keeps));
        Report.Row("snapshot-copy", "actorsync", "ratio_to_native", Report.Median(actorsyncs) / Report.Median(natives));
        Report.Row("snapshot-copy", "actorsync", "ratio_to_pg_dump", Report.Median(actorsyncs) / Report.Median(dumps));
        Report.Row("snapshot-copy", "actorsync-running", "ratio_to_native", Report.Median(resyncs) / Report.Median(natives));
        Report.Row("snapshot-copy", "actorsync-running", "ratio_to_pg_dump", Report.Median(resyncs) / Report.Median(dumps));
    }

    /// <summary>
    /// ActorSync: from process start (capture installed first) until its snapshot state says done; then, given an admin
    /// port, from a resync request to the running service until the snapshot is done again.
    /// </summary>
    private static async Task<(TimeSpan Cold, TimeSpan? Running)> ActorSyncCopyAsync(
        BenchServers servers, PublishedCli cli, BenchConfig config, long rows, int? adminPort = null)
    {
        TimeSpan? running = null;
        var clock = Stopwatch.StartNew();
        TimeSpan cold;
        await using (var process = CliProcess.Start(["run", "--config", config.Path], cli.Assembly))
        {
            await WaitUntilAsync(servers.TargetDb, ActorSyncDoneSql, process);
            cold = clock.Elapsed;
            await CheckCountAsync(servers, rows);
            if (adminPort is { } port)
            {
                var doneAt = await BenchServers.ScalarAsync<DateTime>(
                    servers.TargetDb, "SELECT snapshot_done_at FROM actorsync.sync_state WHERE sync_name = 'bulk'");
                var after = doneAt.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture);
                using var http = new HttpClient();
                running = await TimeAsync(async () =>
                {
                    using var response = await http.PostAsync(new Uri($"http://127.0.0.1:{port}/syncs/bulk/resync"), content: null);
                    response.EnsureSuccessStatusCode();
                    await WaitUntilAsync(
                        servers.TargetDb,
                        "SELECT coalesce(bool_and(snapshot_status = 'done' AND snapshot_done_at > " +
                        $"'{after}+00'::timestamptz), false) FROM actorsync.sync_state",
                        process);
                });
                await CheckCountAsync(servers, rows);
            }
        }

        await using (var uninstall = CliProcess.Start(["uninstall", "--config", config.Path], cli.Assembly))
        {
            await uninstall.WaitForExitAsync();
        }

        await EmptyTargetAsync(servers);
        return (cold, running);
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task EmptyTargetAsync(BenchServers servers) =>
        await BenchServers.ExecuteAsync(servers.TargetDb, "TRUNCATE bulk; CHECKPOINT");

    public static async Task MemoryAsync(BenchOptions options)
    {
        await using var servers = await BenchServers.StartAsync();
        await LoadAsync(servers, options.Rows);
        await using var config = BenchConfig.Write(servers, ["bulk"], options);
        // The same copy with every target index kept and filled row by row: what deferring them is worth, same run.
        await using var keepConfig = BenchConfig.Write(servers, ["bulk"], options with { SnapshotIndexes = "keep" });
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

    /// <summary>ActorSync's own record that the copy committed: every range, then the snapshot, in the target's catalog.</summary>
    private const string ActorSyncDoneSql = "SELECT coalesce(bool_and(snapshot_status = 'done'), false) FROM actorsync.sync_state";

    /// <summary>
    /// Polls a cheap catalog query every 20 ms until it is true. Each copier is timed until its own record that the copy
    /// committed (the subscription's table state, ActorSync's snapshot state), and the rows are counted afterwards:
    /// polling count(*) during the copy scanned up to a million rows ten times a second on the same two cores, slowing
    /// the very copies it timed (pg_dump | psql, timed by its exit, paid nothing).
    /// </summary>
    private static async Task WaitUntilAsync(string connectionString, string sql, CliProcess? process = null)
    {
        while (true)
        {
            if (process?.ExitCode is { } exitCode)
            {
                throw new InvalidOperationException($"actorsync run exited with code {exitCode} before its copy was done");
            }

            try
            {
                if (await BenchServers.ScalarAsync<bool>(connectionString, sql))
                {
                    return;
                }
            }
            catch (Npgsql.PostgresException e) when (e.SqlState == Npgsql.PostgresErrorCodes.UndefinedTable)
            {
                // ActorSync has not created its catalog yet.
            }

            await Task.Delay(20);
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
