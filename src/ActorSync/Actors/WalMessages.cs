using ActorSync.Listening;

namespace ActorSync.Actors;

/// <summary>
/// WAL capture, listener to replicator: the keys of the sync's changes in one chunk of the stream. The replicator
/// answers <see cref="WalKeysTaken"/> once they are committed on its target, or once it has put them in its backlog.
/// </summary>
public sealed record WalKeys(long Stream, long Chunk, string Sync, WalKeySet Keys);

/// <summary>
/// The answer to <see cref="WalKeys"/>. <paramref name="Held"/>: the keys went to the sync's backlog (it is copying,
/// paused or not ready), so the slot's position must stay where it is for this sync until <see cref="WalHoldReleased"/>.
/// </summary>
public sealed record WalKeysTaken(long Stream, long Chunk, string Sync, bool Held);

/// <summary>A sync applied its whole backlog: the listener no longer holds the slot's position back for it.</summary>
public sealed record WalHoldReleased(string Sync);

/// <summary>
/// A sync dropped its backlog (too many keys): the listener streams again from the slot's confirmed position, which it
/// held back for that sync, so the dropped keys arrive again.
/// </summary>
public sealed record WalReplayNeeded(string Sync);
