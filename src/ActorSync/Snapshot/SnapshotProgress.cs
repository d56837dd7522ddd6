using System.Diagnostics;

namespace ActorSync.Snapshot;

/// <summary>
/// Live progress of one snapshot, written by its copy workers and read by the replicator when it reports status.
/// Rows count as they stream; a range that fails gives its rows back before it is retried.
/// </summary>
public sealed class SnapshotProgress
{
    private readonly Stopwatch _clock = new();
    private long _rowsCopied;
    private long _rowsAtStart;
    private int _rangesDone;

    public long RowsCopied => Interlocked.Read(ref _rowsCopied);

    public long RowsEstimated { get; private set; }

    public int RangesTotal { get; private set; }

    public int RangesDone => Volatile.Read(ref _rangesDone);

    /// <summary>The target's indexes held back until the copy is done (<c>snapshot-indexes = defer</c>).</summary>
    public IReadOnlyList<string> DeferredIndexes { get; set; } = [];

    /// <summary>Rows per second over this run of the copy (a resumed copy does not count earlier runs' rows).</summary>
    public double RowsPerSecond
    {
        get
        {
            var seconds = _clock.Elapsed.TotalSeconds;
            return seconds < 0.001 ? 0 : (RowsCopied - _rowsAtStart) / seconds;
        }
    }

    /// <summary>Estimated time left, or null while there is no rate yet.</summary>
    public TimeSpan? Eta
    {
        get
        {
            var rate = RowsPerSecond;
            if (rate <= 0)
            {
                return null;
            }

            var left = Math.Max(0, RowsEstimated - RowsCopied);
            return TimeSpan.FromSeconds(left / rate);
        }
    }

    public void Start(long rowsEstimated, long rowsAlreadyCopied, int rangesTotal, int rangesAlreadyDone)
    {
        RowsEstimated = Math.Max(rowsEstimated, rowsAlreadyCopied);
        RangesTotal = rangesTotal;
        Interlocked.Exchange(ref _rowsCopied, rowsAlreadyCopied);
        _rowsAtStart = rowsAlreadyCopied;
        Volatile.Write(ref _rangesDone, rangesAlreadyDone);
        _clock.Restart();
    }

    public void AddRows(long rows)
    {
        var total = Interlocked.Add(ref _rowsCopied, rows);
        if (total > RowsEstimated)
        {
            RowsEstimated = total;
        }
    }

    public void RangeDone() => Interlocked.Increment(ref _rangesDone);
}
