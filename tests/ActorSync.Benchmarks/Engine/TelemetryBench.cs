using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using ActorSync.Metrics;
using ActorSync.Telemetry;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace ActorSync.Benchmarks.Engine;

/// <summary>
/// <c>engine telemetry</c> (issue 21): what metrics and tracing cost <c>engine oltp</c>. One engine replicates pgbench's
/// four tables; pgbench runs in each mode in turn, interleaved, <c>--reps</c> times: <c>none</c> (no meter or tracer
/// provider: ActorSync's instruments and activity source have no listener), <c>metrics</c> (ActorSync's and Npgsql's
/// meters exported over OTLP every second, more often than any scrape), <c>traces</c> (ActorSync's and Npgsql's spans
/// exported over OTLP), <c>all</c>. The exporters send to an HTTP sink on loopback that answers 200 and drops the body.
/// Reports source TPS, catch-up time and this process's CPU per thousand transactions applied (the engine's own cost)
/// per mode, and each mode's TPS against <c>none</c> in the same rep.
/// </summary>
public static partial class EngineBench
{
    private static readonly string[] TelemetryModes = ["none", "metrics", "traces", "all"];

    public static async Task TelemetryAsync(BenchOptions options)
    {
        await using var servers = await BenchServers.StartAsync();
        var pgbench = new PgBench(servers.Source);
        await PreparePgBenchAsync(servers, pgbench);
        using var sink = new OtlpSink();
        await using var engine = Start(servers, options, PgBench.Tables.Select(t => Sync(t, options)));
        foreach (var table in PgBench.Tables)
        {
            await WaitIdleAsync(engine, table);
        }

        var tps = TelemetryModes.ToDictionary(m => m, _ => new List<double>());
        var catchUp = TelemetryModes.ToDictionary(m => m, _ => new List<double>());
        var ratios = TelemetryModes.ToDictionary(m => m, _ => new List<double>());
        var cpuMs = TelemetryModes.ToDictionary(m => m, _ => new List<double>());
        for (var rep = 0; rep < Math.Max(1, options.Reps); rep++)
        {
            // Rotate the order each rep, so no mode always runs first (or right after the same one).
            var order = TelemetryModes.Skip(rep % TelemetryModes.Length).Concat(TelemetryModes.Take(rep % TelemetryModes.Length)).ToArray();
            var thisRep = new Dictionary<string, double>();
            foreach (var mode in order)
            {
                using (var meters = mode is "metrics" or "all" ? Meters(sink.Endpoint) : null)
                using (var tracer = mode is "traces" or "all" ? Tracer(sink.Endpoint) : null)
                {
                    await VacuumCheckpointAsync(servers.SourceDb);
                    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                    var run = await pgbench.RunAsync(options.Clients, options.Seconds, rate: null);
                    var caught = await TimeAsync(() => WaitMatchedAsync(servers, PgBench.Tables));

                    // This process is the engine (and the exporters): its CPU per thousand source transactions applied.
                    var cpuPerKtx = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / (run * options.Seconds / 1000);
                    cpuMs[mode].Add(cpuPerKtx);
                    Report.Row("telemetry", mode, $"rep{rep}_cpu_ms_per_ktx", cpuPerKtx);
                    tps[mode].Add(run);
                    catchUp[mode].Add(caught.TotalSeconds);
                    thisRep[mode] = run;
                    Report.Row("telemetry", mode, $"rep{rep}_tps", run);
                }
            }

            foreach (var mode in TelemetryModes)
            {
                ratios[mode].Add(thisRep[mode] / thisRep["none"]);
            }
        }

        foreach (var mode in TelemetryModes)
        {
            Report.Row("telemetry", mode, "tps_median", Report.Median(tps[mode]));
            Report.Row("telemetry", mode, "tps_ratio_to_none_median", Report.Median(ratios[mode]));
            Report.Row("telemetry", mode, "catchup_s_median", Report.Median(catchUp[mode]));
            Report.Row("telemetry", mode, "cpu_ms_per_ktx_median", Report.Median(cpuMs[mode]));
        }

        Report.Row("telemetry", "sink", "requests", sink.Requests);
    }

    private static MeterProvider Meters(Uri endpoint) => Sdk.CreateMeterProviderBuilder()
        .AddMeter(ActorSyncMetrics.MeterName)
        .AddNpgsqlInstrumentation()
        .AddOtlpExporter((exporter, reader) =>
        {
            exporter.Endpoint = new Uri(endpoint, "v1/metrics");
            exporter.Protocol = OtlpExportProtocol.HttpProtobuf;
            reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = 1000;
        })
        .Build();

    private static TracerProvider Tracer(Uri endpoint) => Sdk.CreateTracerProviderBuilder()
        .AddSource(ActorSyncActivities.SourceName)
        .AddNpgsql()
        .AddOtlpExporter(exporter =>
        {
            exporter.Endpoint = new Uri(endpoint, "v1/traces");
            exporter.Protocol = OtlpExportProtocol.HttpProtobuf;
        })
        .Build();

    /// <summary>An OTLP/HTTP endpoint that accepts everything and keeps nothing.</summary>
    private sealed class OtlpSink : IDisposable
    {
        private readonly HttpListener _listener = new();
        private long _requests;

        public OtlpSink()
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            Endpoint = new Uri($"http://127.0.0.1:{port}/");
            _listener.Prefixes.Add(Endpoint.ToString());
            _listener.Start();
            _ = Task.Run(AnswerAsync);
        }

        public Uri Endpoint { get; }

        public long Requests => Interlocked.Read(ref _requests);

        public void Dispose() => _listener.Close();

        private async Task AnswerAsync()
        {
            try
            {
                while (_listener.IsListening)
                {
                    var context = await _listener.GetContextAsync();
                    await context.Request.InputStream.CopyToAsync(Stream.Null);
                    context.Response.StatusCode = 200;
                    context.Response.ContentType = "application/x-protobuf";
                    context.Response.Close();
                    Interlocked.Increment(ref _requests);
                }
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                // Closed.
            }
        }
    }
}
