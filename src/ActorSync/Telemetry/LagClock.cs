namespace ActorSync.Telemetry;

/// <summary>
/// A sync's lag, <c>actorsync_lag_seconds</c> (issue 21): the age of the oldest change not yet on the target, computed
/// when it is read, so it keeps growing between observations and never freezes at its last value. Idle with nothing
/// pending: 0. While the sync is failing (source or target unreachable), nothing newer than the last successful look at
/// the source is known to be on the target, so the lag is at least the time since that look. Kept across the
/// replicator's restarts (<see cref="Actors.SyncHealth"/>); written by the replicator, read by metrics and status threads.
/// </summary>
public sealed class LagClock(TimeProvider time)
{
    private readonly Lock _lock = new();
    private DateTimeOffset? _oldest;
    private DateTimeOffset _lastObserved = time.GetUtcNow();
    private bool _failing;

    public LagClock()
        : this(TimeProvider.System)
    {
    }

    /// <summary>The source was read: <paramref name="pending"/> changes wait, the oldest captured at <paramref name="oldest"/>.</summary>
    public void Observed(long pending, DateTimeOffset? oldest)
    {
        lock (_lock)
        {
            _lastObserved = time.GetUtcNow();
            _oldest = pending > 0 ? oldest ?? _oldest ?? _lastObserved : null;
        }
    }

    /// <summary>The sync failed (its replicator restarts): the lag counts from the last successful observation on.</summary>
    public void Failed()
    {
        lock (_lock)
        {
            _failing = true;
        }
    }

    /// <summary>The sync applied or snapshotted successfully again.</summary>
    public void Recovered()
    {
        lock (_lock)
        {
            _failing = false;
        }
    }

    public double Seconds()
    {
        lock (_lock)
        {
            var now = time.GetUtcNow();
            var lag = _oldest is { } oldest ? now - oldest : TimeSpan.Zero;
            if (_failing && now - _lastObserved > lag)
            {
                lag = now - _lastObserved;
            }

            return Math.Max(0, lag.TotalSeconds);
        }
    }
}
