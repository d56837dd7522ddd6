using ActorSync.Apply;
using ActorSync.Snapshot;
using Akka.Actor;

namespace ActorSync.Actors;

// The replicator's messages to itself.
public sealed partial class TableReplicatorActor
{
    private sealed record Start
    {
        public static readonly Start Instance = new();
    }

    private sealed record Prepared(
        SyncPlan Plan, bool Paused, bool NeedsSnapshot, long DeadLetters, GroupFound? Group = null, NpgsqlTypes.NpgsqlLogSequenceNumber? WalRowsFrom = null);

    private sealed record SnapshotUnderway
    {
        public static readonly SnapshotUnderway Instance = new();
    }

    /// <summary>A copy ended; with WAL capture, <c>WalRowsFrom</c> is the source's WAL position read after every snapshot of it.</summary>
    private sealed record SnapshotDone(SnapshotRunner.Outcome Outcome, TimeSpan Elapsed, NpgsqlTypes.NpgsqlLogSequenceNumber? WalRowsFrom = null);

    private sealed record BatchDone(BatchResult Result, TimeSpan Elapsed, int Limit);

    private sealed record ArmAnswered(bool Armed);

    private sealed record Rechecked(bool HasPending);

    private sealed record DeadLettersDone(IActorRef ReplyTo, DeadLettersAnswered Answer, bool Requeued, Listening.WalKeySet? WalKeys = null);

    private sealed record WorkFailed(Exception Error, int BatchLimit = 0);

    /// <summary>Time to look at the delta again; <see cref="Token"/> tells a current poll from one cancelled since.</summary>
    private sealed record PollDue(long Token);

    private sealed record SchemaCheckDue
    {
        public static readonly SchemaCheckDue Instance = new();
    }

    private sealed record SchemaChecked(bool Changed);

    private sealed record PendingRefreshDue
    {
        public static readonly PendingRefreshDue Instance = new();
    }

    private sealed record PendingRefreshed(long Count, DateTimeOffset? Oldest, bool Read = true);

    private sealed record SnapshotLogDue
    {
        public static readonly SnapshotLogDue Instance = new();
    }
}
