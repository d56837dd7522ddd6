using System.Diagnostics;
using System.Globalization;
using ActorSync.Actors;
using ActorSync.Capture;
using ActorSync.Configuration;
using ActorSync.Postgres;
using Microsoft.Extensions.Logging;

namespace ActorSync.Benchmarks.Engine;

/// <summary>
/// Issue 5's engine figures, each on fresh source and target servers, ActorSync running in this process:
/// (a) <c>bulk</c>: one transaction inserting 1,000,000 rows, seconds from commit until the target holds them all;
/// (b) <c>oltp</c>: pgbench TPC-B with its four tables synced, source TPS with capture against TPS without, same run;
/// (c) <c>lag</c>: commit-to-visible lag p50/p99 at a steady 300 TPS.
/// </summary>
public static partial class EngineBench
{
    /// <summary>The peers' W2 row (shared/bench/peers/lib/common.sh, BULK_GEN and BULK_DDL).</summary>
    public const string BulkDdl = "CREATE TABLE bulk (id bigint PRIMARY KEY, a int, b text, c timestamptz, d numeric)";

    public const string BulkRows =
        "SELECT g, (g*7)%100000, left(repeat(md5(g::text),4),100), timestamptz '2024-01-01' + g*interval '1 second', g*0.01 " +
        "FROM generate_series(1, {0}) g";

    public static async Task BulkAsync(BenchOptions options)
    {
        await using var servers = await BenchServers.StartAsync();
        await BenchServers.ExecuteAsync(servers.SourceDb, BulkDdl + "; " + BulkDdl.Replace("bulk", "bulk_baseline", StringComparison.Ordinal));
        await BenchServers.ExecuteAsync(servers.TargetDb, BulkDdl);
        var rows = string.Format(CultureInfo.InvariantCulture, BulkRows, options.Rows);

        // Same sitting, same server: the insert without capture first.
        await BenchServers.ExecuteAsync(servers.SourceDb, "CHECKPOINT");
        var baseline = await TimeAsync(() => BenchServers.ExecuteAsync(servers.SourceDb, $"INSERT INTO bulk_baseline {rows}"));

        await using var engine = Start(servers, options, [Sync("bulk", options)]);
        await WaitIdleAsync(engine, "bulk");
        await BenchServers.ExecuteAsync(servers.SourceDb, "CHECKPOINT");
        // What the engine (in this process) allocates and the CPU it uses while it captures and applies the rows.
        using var sampler = options.AllocationProfile ? new AllocationSampler() : null;
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var cpuBefore = Environment.CpuUsage.TotalTime;
        var start = Stopwatch.StartNew();
        await BenchServers.ExecuteAsync(servers.SourceDb, $"INSERT INTO bulk {rows}");
        var insert = start.Elapsed;
        await WaitForCountAsync(servers.TargetDb, "bulk", options.Rows);
        var total = start.Elapsed;
        var commitToTarget = total - insert;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var cpu = Environment.CpuUsage.TotalTime - cpuBefore;

        await VerifyAsync(servers, "bulk", "id");
        Report.Row("bulk", options.Capture, "rows", options.Rows);
        Report.Row("bulk", options.Capture, "source_insert_baseline_s", baseline.TotalSeconds);
        Report.Row("bulk", options.Capture, "source_insert_s", insert.TotalSeconds);
        Report.Row("bulk", options.Capture, "source_insert_ratio", insert / baseline);
        Report.Row("bulk", options.Capture, "commit_to_target_s", commitToTarget.TotalSeconds);
        Report.Row("bulk", options.Capture, "rows_per_s", options.Rows / commitToTarget.TotalSeconds);
        Report.Row("bulk", options.Capture, "end_to_end_s", total.TotalSeconds);
        Report.Row("bulk", options.Capture, "process_cpu_s", cpu.TotalSeconds);
        Report.Row("bulk", options.Capture, "allocated_bytes_per_row", (double)allocated / options.Rows);
        Report.Row("bulk", options.Capture, "gen0_collections", GC.CollectionCount(0));
        sampler?.Print(top: 25);
    }

    public static async Task OltpAsync(BenchOptions options)
    {
        await using var servers = await BenchServers.StartAsync();
        var pgbench = new PgBench(servers.Source);
        await PreparePgBenchAsync(servers, pgbench);

        await VacuumCheckpointAsync(servers.SourceDb);
        var baseline = await pgbench.RunAsync(options.Clients, options.Seconds, rate: null);
        if (options.Group is { } group)
        {
            await OltpGroupAsync(servers, pgbench, options, group, baseline);
            return;
        }

        await using var engine = Start(servers, options, PgBench.Tables.Select(t => Sync(t, options)));
        foreach (var table in PgBench.Tables)
        {
            await WaitIdleAsync(engine, table);
        }

        await VacuumCheckpointAsync(servers.SourceDb);
        var replicated = await pgbench.RunAsync(options.Clients, options.Seconds, rate: null);
        var catchUp = await TimeAsync(() => WaitMatchedAsync(servers, PgBench.Tables));

        foreach (var table in PgBench.Tables)
        {
            await VerifyAsync(servers, table, PgBench.KeyOf(table));
        }

        Report.Row("oltp", options.Capture, "clients", options.Clients);
        Report.Row("oltp", options.Capture, "tps_baseline", baseline);
        Report.Row("oltp", options.Capture, "tps_replicated", replicated);
        Report.Row("oltp", options.Capture, "tps_ratio", replicated / baseline);
        Report.Row("oltp", options.Capture, "catchup_s", catchUp.TotalSeconds);
    }

    /// <summary>
    /// Issue #19: the four pgbench tables as four single syncs and as one consistent group, alternating in one sitting
    /// (one engine per run, the same servers and data): source TPS while replicated, and the catch-up after it.
    /// </summary>
    private static async Task OltpGroupAsync(BenchServers servers, PgBench pgbench, BenchOptions options, string mode, double baseline)
    {
        var modes = mode switch
        {
            "both" => new[] { "single", "group" },
            "single" or "group" => [mode],
            _ => throw new ArgumentException($"--group expects single, group or both, found '{mode}'"),
        };
        var ratios = new List<double>();
        Report.Row("oltp", options.Capture, "tps_baseline", baseline);
        for (var rep = 0; rep < Math.Max(1, options.Reps); rep++)
        {
            var tps = new Dictionary<string, double>(StringComparer.Ordinal);
            // Alternate which goes first, so that a drift of the shared machine does not favour one.
            foreach (var current in rep % 2 == 0 ? modes : modes.Reverse())
            {
                var syncs = PgBench.Tables.Select(t => Sync(t, options) with { Group = current == "group" ? "pgbench" : null });
                await using (var engine = Start(servers, options, syncs))
                {
                    // The previous engine's sessions may still hold the wake-up locks for a moment, so a sync may stream
                    // (polling) rather than go idle: wait until every sync streams or idles.
                    foreach (var table in PgBench.Tables)
                    {
                        await WaitStreamingAsync(engine, table);
                    }

                    await VacuumCheckpointAsync(servers.SourceDb);
                    tps[current] = await pgbench.RunAsync(options.Clients, options.Seconds, rate: null);
                    var catchUp = await TimeAsync(() => WaitMatchedAsync(servers, PgBench.Tables));
                    foreach (var table in PgBench.Tables)
                    {
                        await VerifyAsync(servers, table, PgBench.KeyOf(table));
                    }

                    Report.Row("oltp", options.Capture, $"rep{rep}_{current}_tps", tps[current]);
                    Report.Row("oltp", options.Capture, $"rep{rep}_{current}_tps_ratio", tps[current] / baseline);
                    Report.Row("oltp", options.Capture, $"rep{rep}_{current}_catchup_s", catchUp.TotalSeconds);
                }
            }

            if (tps.Count == 2)
            {
                ratios.Add(tps["group"] / tps["single"]);
            }
        }

        if (ratios.Count > 0)
        {
            Report.Row("oltp", options.Capture, "group_over_single_tps_median", Report.Median(ratios));
        }
    }

    /// <summary>
    /// Capture alone: pgbench TPS with ActorSync's triggers installed but nothing applying (the delta only grows),
    /// against TPS without them, alternating runs; separates what capture costs writers from what apply costs the box.
    /// </summary>
    public static async Task CaptureAsync(BenchOptions options)
    {
        await using var servers = await BenchServers.StartAsync();
        var pgbench = new PgBench(servers.Source);
        await PreparePgBenchAsync(servers, pgbench);
        var plans = new List<Apply.SyncPlan>();
        await using (var source = new Npgsql.NpgsqlConnection(servers.SourceDb))
        await using (var target = new Npgsql.NpgsqlConnection(servers.TargetDb))
        {
            await source.OpenAsync();
            await target.OpenAsync();
            foreach (var table in PgBench.Tables)
            {
                var result = await Apply.SyncInspector.InspectAsync(Sync(table, options), source, target, default);
                plans.Add(result.Plan ?? throw new InvalidOperationException(string.Join("; ", result.Problems)));
            }
        }

        var ratios = new List<double>();
        for (var rep = 0; rep < Math.Max(1, options.Reps); rep++)
        {
            await using (var source = await OpenAsync(servers.SourceDb))
            {
                await Capture.CaptureInstaller.UninstallAsync(source, default);
            }

            await VacuumCheckpointAsync(servers.SourceDb);
            var without = await pgbench.RunAsync(options.Clients, options.Seconds, rate: null);
            await using (var source = await OpenAsync(servers.SourceDb))
            {
                foreach (var plan in plans)
                {
                    await Capture.CaptureInstaller.InstallCaptureAsync(source, plan, options.Capture, default);
                }
            }

            await VacuumCheckpointAsync(servers.SourceDb);
            var with = await pgbench.RunAsync(options.Clients, options.Seconds, rate: null);
            ratios.Add(with / without);
            Report.Row("capture", options.Capture, $"rep{rep}_tps_without", without);
            Report.Row("capture", options.Capture, $"rep{rep}_tps_with", with);
        }

        Report.Row("capture", options.Capture, "tps_ratio_median", Report.Median(ratios));
    }

    private static async Task<Npgsql.NpgsqlConnection> OpenAsync(string connectionString)
    {
        var connection = new Npgsql.NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        return connection;
    }

    public static async Task LagAsync(BenchOptions options)
    {
        await using var servers = await BenchServers.StartAsync();
        var pgbench = new PgBench(servers.Source);
        await PreparePgBenchAsync(servers, pgbench);

        // The target notes when each history row arrives; pgbench's mtime is when its transaction began.
        await BenchServers.ExecuteAsync(servers.TargetDb, "ALTER TABLE pgbench_history ADD COLUMN applied_at timestamptz DEFAULT clock_timestamp()");
        await using var engine = Start(servers, options, PgBench.Tables.Select(t => Sync(t, options)));
        foreach (var table in PgBench.Tables)
        {
            await WaitIdleAsync(engine, table);
        }

        var since = await BenchServers.ScalarAsync<DateTime>(servers.SourceDb, "SELECT localtimestamp");
        var tps = await pgbench.RunAsync(options.Clients, options.Seconds, rate: options.Rate);
        await WaitMatchedAsync(servers, PgBench.Tables);
        var sinceText = since.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture);
        var percentiles = await BenchServers.ScalarAsync<double[]>(
            servers.TargetDb,
            "SELECT array_agg((1000 * extract(epoch FROM p))::float8) FROM unnest((SELECT percentile_cont(ARRAY[0.5, 0.99, 1.0]) WITHIN GROUP " +
            $"(ORDER BY (applied_at AT TIME ZONE 'UTC') - mtime) FROM pgbench_history WHERE mtime >= '{sinceText}')) p");

        Report.Row("lag", options.Capture, "tps", tps);
        Report.Row("lag", options.Capture, "lag_p50_ms", percentiles[0]);
        Report.Row("lag", options.Capture, "lag_p99_ms", percentiles[1]);
        Report.Row("lag", options.Capture, "lag_max_ms", percentiles[2]);
    }

    private static async Task PreparePgBenchAsync(BenchServers servers, PgBench pgbench)
    {
        await pgbench.InitializeAsync(scale: 10);
        // As the peers' harness: pgbench_history needs a key to be replicated at all.
        await BenchServers.ExecuteAsync(servers.SourceDb, "ALTER TABLE pgbench_history ADD COLUMN hid bigserial PRIMARY KEY");
        await BenchServers.ExecuteAsync(servers.TargetDb, PgBench.TargetDdl);
    }

    private static async Task VacuumCheckpointAsync(string connectionString)
    {
        await BenchServers.ExecuteAsync(connectionString, "VACUUM pgbench_accounts");
        await BenchServers.ExecuteAsync(connectionString, "CHECKPOINT");
    }

    private static SyncDefinition Sync(string table, BenchOptions options) => SyncDefinition.From(
        new SyncOptions
        {
            Name = table,
            Source = $"src:public.{table}",
            Target = $"tgt:public.{table}",
            BatchSize = options.BatchSize,
            CaptureMode = options.Capture,
            BatchDelay = options.BatchDelayMs is { } ms ? TimeSpan.FromMilliseconds(ms) : null,
        },
        new SyncDefaultsOptions()) with
    { AppliesDecodedRows = options.WalApply == WalApply.Rows };

    private static SyncEngine Start(BenchServers servers, BenchOptions options, IEnumerable<SyncDefinition> syncs)
    {
        var databases = new Dictionary<string, DatabaseOptions>
        {
            ["src"] = new()
            {
                ConnectionString = servers.SourceDb,
                MaxConnections = 8,
                CaptureMode = options.Capture == CaptureMode.Wal ? DatabaseCaptureMode.Wal : DatabaseCaptureMode.Trigger,
            },
            ["tgt"] = new() { ConnectionString = servers.TargetDb, MaxConnections = 8 },
        };
        var loggerFactory = LoggerFactory.Create(b => b.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss.fff "; }).SetMinimumLevel(Environment.GetEnvironmentVariable("BENCH_DEBUG") is null ? LogLevel.Warning : LogLevel.Debug).AddFilter("Npgsql", LogLevel.Warning));
        var settings = new EngineSettings();
        return SyncEngine.Start(new EngineState(new ActorSyncOptions { Databases = databases }, syncs.ToArray(), settings, loggerFactory));
    }

    private static async Task WaitStreamingAsync(SyncEngine engine, string sync)
    {
        while (true)
        {
            var status = await engine.GetStatusAsync(TimeSpan.FromSeconds(10), default);
            var state = status.Syncs.Single(s => s.Name == sync);
            if (state.State is SyncStates.Idle or SyncStates.Streaming)
            {
                return;
            }

            if (state.State == SyncStates.Failing)
            {
                throw new InvalidOperationException($"sync {sync} is failing: {state.LastError?.Message}");
            }

            await Task.Delay(100);
        }
    }

    private static async Task WaitIdleAsync(SyncEngine engine, string sync)
    {
        while (true)
        {
            var status = await engine.GetStatusAsync(TimeSpan.FromSeconds(10), default);
            var state = status.Syncs.Single(s => s.Name == sync);
            if (state.State == SyncStates.Idle)
            {
                return;
            }

            if (state.State == SyncStates.Failing)
            {
                throw new InvalidOperationException($"sync {sync} is failing: {state.LastError?.Message}");
            }

            await Task.Delay(100);
        }
    }

    private static async Task WaitForCountAsync(string connectionString, string table, long rows)
    {
        // Polled every 100 ms, as the peers' harness does.
        while (await BenchServers.ScalarAsync<long>(connectionString, $"SELECT count(*) FROM {table}") < rows)
        {
            await Task.Delay(100);
        }
    }

    private static async Task WaitMatchedAsync(BenchServers servers, IEnumerable<string> tables)
    {
        foreach (var table in tables)
        {
            var probe = $"SELECT count(*) || ':' || coalesce(sum(hashtext(t::text)::bigint), 0) FROM (SELECT {PgBench.ColumnsOf(table)} FROM {table}) t";
            var expected = await BenchServers.ScalarAsync<string>(servers.SourceDb, probe);
            while (await BenchServers.ScalarAsync<string>(servers.TargetDb, probe) != expected)
            {
                await Task.Delay(100);
            }
        }
    }

    private static async Task VerifyAsync(BenchServers servers, string table, string key)
    {
        var fingerprint = $"SELECT count(*) || ':' || coalesce(md5(string_agg(md5(t::text), '' ORDER BY {key})), '-') FROM (SELECT {{0}} FROM {table}) t";
        var columns = PgBench.ColumnsOf(table);
        var source = await BenchServers.ScalarAsync<string>(servers.SourceDb, string.Format(CultureInfo.InvariantCulture, fingerprint, columns));
        var target = await BenchServers.ScalarAsync<string>(servers.TargetDb, string.Format(CultureInfo.InvariantCulture, fingerprint, columns));
        if (source != target)
        {
            throw new InvalidOperationException($"{table}: target differs from source ({source} / {target})");
        }
    }

    private static async Task<TimeSpan> TimeAsync(Func<Task> action)
    {
        var clock = Stopwatch.StartNew();
        await action();
        return clock.Elapsed;
    }
}
