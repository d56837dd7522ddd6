namespace ActorSync.Tests.Telemetry;

/// <summary>
/// The metric families <c>GET /metrics</c> serves under our names, with their Prometheus type and label names. The list
/// is what the hand-written exporter (src/ActorSync/Admin/PrometheusExporter.cs, deleted by issue 21) emitted at commit
/// 1d13ed0, scraped from MetricsEndpointTests' host before it was deleted: dashboards and alerts written against it must
/// keep working on the OpenTelemetry SDK's exporter.
/// </summary>
public static class ExportedMetrics
{
    public static readonly IReadOnlyList<(string Name, string Type, string[] Labels)> Families =
    [
        ("actorsync_apply_seconds", "histogram", ["sync"]),
        ("actorsync_batches_total", "counter", ["sync"]),
        ("actorsync_dead_letters", "gauge", ["sync"]),
        ("actorsync_lag_seconds", "gauge", ["sync"]),
        ("actorsync_listener_reconnects_total", "counter", ["database"]),
        ("actorsync_pending_rows", "gauge", ["sync"]),
        ("actorsync_pool_leased", "gauge", ["database", "role"]),
        ("actorsync_pool_max", "gauge", ["database", "role"]),
        ("actorsync_restarts_total", "counter", ["sync"]),
        ("actorsync_rows_applied_total", "counter", ["sync"]),
    ];

    /// <summary>
    /// Families that have series only while a source database captures from the WAL (issue 20): the slot's retained WAL.
    /// MetricsEndpointTests' host captures with triggers; SlotMonitorActorTests and DatabaseGoneTests (wal) read this one.
    /// </summary>
    public static readonly IReadOnlyList<(string Name, string Type, string[] Labels)> WalOnly =
    [
        ("actorsync_slot_retained_bytes", "gauge", ["database"]),
    ];

    /// <summary>Families that Npgsql (Npgsql.OpenTelemetry) and ASP.NET Core export through the same endpoint.</summary>
    public static readonly IReadOnlyList<string> Libraries =
    [
        "db_client_operation_duration_seconds",
        "db_client_connection_count",
        "db_client_connection_max",
        "http_server_request_duration_seconds",
        "kestrel_active_connections",
    ];

    /// <summary>Every Prometheus series name a query may use: families, their histogram series, and the libraries'.</summary>
    public static IEnumerable<string> SeriesNames()
    {
        foreach (var (name, type, _) in Families.Concat(WalOnly))
        {
            yield return name;
            if (type == "histogram")
            {
                yield return name + "_bucket";
                yield return name + "_sum";
                yield return name + "_count";
            }
        }

        foreach (var name in Libraries)
        {
            yield return name;
            if (name.EndsWith("_seconds", StringComparison.Ordinal))
            {
                yield return name + "_bucket";
                yield return name + "_sum";
                yield return name + "_count";
            }
        }
    }
}
