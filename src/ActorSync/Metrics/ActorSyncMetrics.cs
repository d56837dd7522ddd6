using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using ActorSync.Apply;

namespace ActorSync.Metrics;

/// <summary>
/// ActorSync's instruments (<see cref="System.Diagnostics.Metrics"/>), named as <c>GET /metrics</c> exposes them.
/// Counters and gauges live here, not in log lines (STYLE.md, "Logging"). Recorded by the actors that own the facts.
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
    private readonly Gauge<double> _lagSeconds;
    private readonly Histogram<double> _applySeconds;
    private readonly Gauge<long> _poolLeased;
    private readonly Gauge<long> _poolMax;
    private readonly Gauge<long> _deadLetters;
    private readonly ConcurrentDictionary<string, long> _slotRetained = new(StringComparer.Ordinal);

    public ActorSyncMetrics(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _rowsApplied = _meter.CreateCounter<long>("actorsync_rows_applied_total", "rows", "Target rows inserted, updated or deleted by the sync.");
        _batches = _meter.CreateCounter<long>("actorsync_batches_total", "batches", "Batches applied by the sync.");
        _restarts = _meter.CreateCounter<long>("actorsync_restarts_total", "restarts", "Times the sync's replicator failed and was restarted.");
        _listenerReconnects = _meter.CreateCounter<long>("actorsync_listener_reconnects_total", "reconnects", "Times a listener reconnected.");
        _pendingRows = _meter.CreateGauge<long>("actorsync_pending_rows", "rows", "Captured changes not yet applied.");
        _lagSeconds = _meter.CreateGauge<double>("actorsync_lag_seconds", "s", "Age of the oldest change not yet applied (0 when none).");
        _applySeconds = _meter.CreateHistogram<double>(
            "actorsync_apply_seconds", "s", "Duration of one batch, from reading the delta to deleting what it consumed.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });
        _poolLeased = _meter.CreateGauge<long>("actorsync_pool_leased", "connections", "Leases out of a pool.");
        _poolMax = _meter.CreateGauge<long>("actorsync_pool_max", "connections", "Leases a pool lends at most.");
        _deadLetters = _meter.CreateGauge<long>("actorsync_dead_letters", "keys", "Keys the target refused, held in actorsync.dead_letters.");
        // Observed when scraped, from the last reading of each WAL source database's slot monitor (issue #20).
        _meter.CreateObservableGauge(
            "actorsync_slot_retained_bytes",
            () => _slotRetained.Select(s => new Measurement<long>(s.Value, new KeyValuePair<string, object?>("database", s.Key))),
            "bytes",
            "WAL the database's replication slot retains on the server: pg_current_wal_lsn() - restart_lsn.");
    }

    public void BatchApplied(string sync, BatchResult result, TimeSpan elapsed)
    {
        var tag = new KeyValuePair<string, object?>("sync", sync);
        _rowsApplied.Add(result.Upserted + result.Deleted, tag);
        _batches.Add(1, tag);
        _applySeconds.Record(elapsed.TotalSeconds, tag);
    }

    public void Pending(string sync, long rows, double lagSeconds)
    {
        var tag = new KeyValuePair<string, object?>("sync", sync);
        _pendingRows.Record(rows, tag);
        _lagSeconds.Record(lagSeconds, tag);
    }

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
