using ActorSync.Snapshot;

namespace ActorSync.Actors;

/// <summary>Asks a replicator for its <see cref="SyncStatus"/>.</summary>
public sealed record SyncStatusRequested
{
    public static readonly SyncStatusRequested Instance = new();
}

/// <summary>Stop applying changes (they keep being captured); persisted, so a restart stays paused.</summary>
public sealed record PauseRequested
{
    public static readonly PauseRequested Instance = new();
}

/// <summary>Apply again after a pause.</summary>
public sealed record ResumeRequested
{
    public static readonly ResumeRequested Instance = new();
}

/// <summary>Copy the table again from scratch, then stream; other syncs keep streaming.</summary>
public sealed record ResyncRequested
{
    public static readonly ResyncRequested Instance = new();
}

/// <summary>The answer to pause, resume and resync: what the sync does now.</summary>
public sealed record CommandAccepted(string Sync, string State);

/// <summary>The states a sync reports (issue 7).</summary>
public static class SyncStates
{
    public const string Starting = "starting";
    public const string Snapshotting = "snapshotting";
    public const string Streaming = "streaming";
    public const string Idle = "idle";
    public const string Paused = "paused";
    public const string Failing = "failing";
}

/// <summary>A sync's state as its replicator reports it.</summary>
public sealed record SyncStatus(
    string Name,
    string Source,
    string Target,
    string State,
    long RowsApplied,
    long BatchesApplied,
    long PendingRows,
    double LagSeconds,
    int Restarts,
    SyncError? LastError,
    DateTimeOffset? LastAppliedAt,
    SnapshotStatusReport? Snapshot)
{
    /// <summary>The sync's keys in <c>actorsync.dead_letters</c> (issue #19).</summary>
    public long DeadLetters { get; init; }

    /// <summary>Why the sync is in its state when it did not choose it: "group shop is paused by orders" (issue #19).</summary>
    public string? Reason { get; init; }
}

/// <summary>The last failure of a sync.</summary>
public sealed record SyncError(string Message, DateTimeOffset At);

/// <summary>Snapshot progress while a sync copies its table.</summary>
public sealed record SnapshotStatusReport(long RowsCopied, long RowsEstimated, double RowsPerSecond, TimeSpan? Eta)
{
    public static SnapshotStatusReport From(SnapshotProgress progress) =>
        new(progress.RowsCopied, progress.RowsEstimated, Math.Round(progress.RowsPerSecond, 1), progress.Eta);
}

/// <summary>What <c>dead-letters</c> does with a sync's dead letters (issue #19).</summary>
public enum DeadLetterAction
{
    /// <summary>Report them.</summary>
    List,

    /// <summary>Queue their keys as changes again, so the replicator tries them now.</summary>
    Retry,

    /// <summary>Forget them: the target keeps what it has for those keys.</summary>
    Discard,
}

/// <summary>A <c>dead-letters</c> command for one sync; <paramref name="Key"/> (JSON) limits it to one key.</summary>
public sealed record DeadLettersRequested(DeadLetterAction Action, string? Key);

/// <summary>
/// The answer to <see cref="DeadLettersRequested"/>: the dead letters listed, the keys retried or discarded, the sync's
/// dead letters left, or the error that stopped the command.
/// </summary>
public sealed record DeadLettersAnswered(
    string Sync, IReadOnlyList<State.DeadLetter> Listed, int Affected, long Remaining, string? Error);
