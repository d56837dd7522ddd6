using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using ActorSync.Apply;
using ActorSync.Telemetry;

namespace ActorSync.Metrics;

/// <summary>
/// ActorSync's instruments (<see cref="System.Diagnostics.Metrics"/>), named as <c>GET /metrics</c> exposes them.
/// Counters and gauges live here, not in log lines (STYLE.md, "Logging"). Recorded by the actors that own the facts.
/// Exported by the OpenTelemetry SDK (issue 21), whose Prometheus exporter appends a unit to a name that does not end in
/// it: a count's unit is therefore an annotation (<c>{rows}</c>), which appends nothing, and seconds are <c>s</c> on
/// names that end in <c>_seconds</c>. Counters keep their <c>_total</c>, which the exporter does not append twice.
/// </summary>
public sealed class ActorSyncMetrics : IDisposable
{
    public const string MeterName = "ActorSync";

    private readonly Meter _meter;
    private readonly Counter<long> _rowsApplied;
    private readonly Counter<long> _batches;
    private readonly Counter<long> _restarts;
    private readonly Counter<long> _listenerReconnects;
    private readonly Gauge<long> _pendingRows;
    private readonly ConcurrentDictionary<string, LagClock> _lags = new(StringComparer.Ordinal);
    private readonly Histogram<double> _applySeconds;
    private readonly Gauge<long> _poolLeased;
    private readonly Gauge<long> _poolMax;
    private readonly Gauge<long> _deadLetters;
    private readonly ConcurrentDictionary<string, long> _slotRetained = new(StringComparer.Ordinal);

    public ActorSyncMetrics(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _rowsApplied = _meter.CreateCounter<long>("actorsync_rows_applied_total", "{rows}", "Target rows inserted, updated or deleted by the sync.");
        _batches = _meter.CreateCounter<long>("actorsync_batches_total", "{batches}", "Batches applied by the sync.");
        _restarts = _meter.CreateCounter<long>("actorsync_restarts_total", "{restarts}", "Times the sync's replicator failed and was restarted.");
        _listenerReconnects = _meter.CreateCounter<long>("actorsync_listener_reconnects_total", "{reconnects}", "Times a listener reconnected.");
        _pendingRows = _meter.CreateGauge<long>("actorsync_pending_rows", "{rows}", "Captured changes not yet applied.");
        // Observed at each collection, not recorded at events: a sync whose source or target is gone records nothing,
        // and its lag must keep growing all the same (issue 21).
        _meter.CreateObservableGauge(
            "actorsync_lag_seconds",
            () => _lags.Select(lag => new Measurement<double>(Math.Round(lag.Value.Seconds(), 3), new KeyValuePair<string, object?>("sync", lag.Key))),
            "s", "Age of the oldest change not yet on the target (0 when none); grows while the sync fails.");
        _applySeconds = _meter.CreateHistogram<double>(
            "actorsync_apply_seconds", "s", "Duration of one batch, from reading the delta to deleting what it consumed.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });
        _poolLeased = _meter.CreateGauge<long>("actorsync_pool_leased", "{connections}", "Leases out of a pool.");
        _poolMax = _meter.CreateGauge<long>("actorsync_pool_max", "{connections}", "Leases a pool lends at most.");
        _deadLetters = _meter.CreateGauge<long>("actorsync_dead_letters", "{keys}", "Keys the target refused, held in actorsync.dead_letters.");
        // Observed when scraped, from the last reading of each WAL source database's slot monitor (issue #20).
        _meter.CreateObservableGauge(
            "actorsync_slot_retained_bytes",
            () => _slotRetained.Select(s => new Measurement<long>(s.Value, new KeyValuePair<string, object?>("database", s.Key))),
            "By",
            "WAL the database's replication slot retains on the server: pg_current_wal_lsn() - restart_lsn.");
    }

    /// <summary>
    /// Makes every configured sync's counters and every source database's reconnect counter exist at zero before their
    /// first increase, so they are scraped from the start (rate() misses the first increase of a series that appears late).
    /// </summary>
    public void Seed(IEnumerable<string> syncs, IEnumerable<string> databases)
    {
        foreach (var sync in syncs)
        {
            var tag = new KeyValuePair<string, object?>("sync", sync);
            _rowsApplied.Add(0, tag);
            _batches.Add(0, tag);
            _restarts.Add(0, tag);
        }

        foreach (var database in databases)
        {
            _listenerReconnects.Add(0, new KeyValuePair<string, object?>("database", database));
        }
    }

    public void BatchApplied(string sync, BatchResult result, TimeSpan elapsed)
    {
        var tag = new KeyValuePair<string, object?>("sync", sync);
        _rowsApplied.Add(result.Upserted + result.Deleted, tag);
        _batches.Add(1, tag);
        _applySeconds.Record(elapsed.TotalSeconds, tag);
    }

    public void Pending(string sync, long rows) => _pendingRows.Record(rows, new KeyValuePair<string, object?>("sync", sync));

    /// <summary>Exports <paramref name="lag"/> as the sync's <c>actorsync_lag_seconds</c>, read at each collection.</summary>
    public void TrackLag(string sync, LagClock lag) => _lags[sync] = lag;

    public void DeadLetters(string sync, long keys) => _deadLetters.Record(keys, new KeyValuePair<string, object?>("sync", sync));

    /// <summary>The WAL <paramref name="database"/>'s slot retains; null when unknown (no slot, or lost): no series.</summary>
    public void SlotRetained(string database, long? bytes)
    {
        if (bytes is { } known)
        {
            _slotRetained[database] = known;
        }
        else
        {
            _slotRetained.TryRemove(database, out _);
        }
    }

    public void Restarted(string sync) => _restarts.Add(1, new KeyValuePair<string, object?>("sync", sync));

    public void ListenerReconnected(string database) => _listenerReconnects.Add(1, new KeyValuePair<string, object?>("database", database));

    public void Pool(string database, string role, int leased, int max)
    {
        KeyValuePair<string, object?>[] tags = [new("database", database), new("role", role)];
        _poolLeased.Record(leased, tags);
        _poolMax.Record(max, tags);
    }

    public void Dispose() => _meter.Dispose();
}
