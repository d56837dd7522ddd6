using ActorSync.Apply;
using ActorSync.Telemetry;

namespace ActorSync.Actors;

/// <summary>A sync's counters and failure history, kept across its replicator's restarts (held by its Props).</summary>
/// <param name="walBacklogKeys">
/// WAL capture: the most distinct keys its backlog holds (<c>databases.NAME.wal-backlog-keys</c> of its source database).
/// </param>
public sealed class SyncHealth(int walBacklogKeys = Listening.WalBacklog.DefaultMaxKeys)
{
    public RestartHistory History { get; } = new();

    /// <summary>The sync's lag, read by <c>actorsync_lag_seconds</c> and the status (issue 21).</summary>
    public LagClock Lag { get; } = new();

    public long RowsApplied { get; private set; }

    public long BatchesApplied { get; private set; }

    public DateTimeOffset? LastAppliedAt { get; private set; }

    /// <summary>
    /// The bound for the next batch when it is lower than the configured one: a batch that ran into the apply timeout is
    /// retried with half as many changes, and the bound returns to the configured size after a success.
    /// </summary>
    public int? BatchLimit { get; set; }

    /// <summary>A resync was asked for and not done yet; kept across restarts so it is also the way out of a failure.</summary>
    public bool ResyncRequested { get; set; }

    /// <summary>The sync's keys in <c>actorsync.dead_letters</c>, as last counted (issue #19).</summary>
    public long DeadLetters { get; set; }

    /// <summary>WAL capture: keys taken from the stream and not applied yet (issue #20).</summary>
    public Listening.WalBacklog WalBacklog { get; } = new(walBacklogKeys);

    public void RecordBatch(BatchResult result)
    {
        RowsApplied += result.Upserted + result.Deleted;
        BatchesApplied++;
        LastAppliedAt = DateTimeOffset.UtcNow;
    }
}
