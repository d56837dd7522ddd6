using ActorSync.Apply;
using Akka.Actor;

namespace ActorSync.Actors;

// Between replicators, the groups actor and the group appliers (issue #19, DESIGN.md section 4).

/// <summary>A replicator asks the groups actor for its sync's group (answered with <see cref="GroupFound"/>).</summary>
public sealed record GroupWanted(string Sync);

/// <summary>The sync's group and its applier (both null: applied alone), or why the groups cannot be formed.</summary>
public sealed record GroupFound(SyncGroup? Group, IActorRef? Applier, string? Problem);

/// <summary>A member is prepared and streams with <paramref name="Plan"/>; its batches come from the group's applier.</summary>
public sealed record GroupMemberStreaming(string Sync, SyncPlan Plan, long DeadLetters);

/// <summary>A member was paused or resumed: a paused member holds its whole group.</summary>
public sealed record GroupMemberPaused(string Sync, bool Paused);

/// <summary>A member must copy its table; it waits for <see cref="GroupCopyGranted"/> (parents copy before children).</summary>
public sealed record GroupCopyWanted(string Sync);

/// <summary>The member may copy now; the group's batches leave it out until it streams again.</summary>
public sealed record GroupCopyGranted
{
    public static readonly GroupCopyGranted Instance = new();
}

/// <summary>A member wants a batch; answered with <see cref="GroupBatchApplied"/>, <see cref="GroupHeld"/> or a failure.</summary>
public sealed record GroupBatchWanted(string Sync, int Limit);

/// <summary>The member's part of a group batch (also told, unasked, to members whose rows a batch applied).</summary>
public sealed record GroupBatchApplied(BatchResult Result);

/// <summary>The group is held: a member is paused. <paramref name="Reason"/> says which.</summary>
public sealed record GroupHeld(string Reason);

/// <summary>Told to every member when the group is held (<paramref name="Reason"/>) or released (null).</summary>
public sealed record GroupPausedBy(string? Reason);

/// <summary>A group batch failed: every member reports failing with the error (it names the table) and retries with backoff.</summary>
public sealed record GroupBatchFailed(Exception Error);
