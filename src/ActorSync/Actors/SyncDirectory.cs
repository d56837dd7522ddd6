using System.Collections.Immutable;
using Akka.Actor;

namespace ActorSync.Actors;

/// <summary>
/// Which replicator serves which sync, and which syncs read from which source database. The guardian publishes it once
/// its children exist; listeners read it to forward wake-ups. Immutable once published, so sharing it is safe.
/// </summary>
public sealed class SyncDirectory
{
    private ImmutableDictionary<string, (string SourceDatabase, IActorRef Replicator)> _syncs =
        ImmutableDictionary<string, (string, IActorRef)>.Empty;

    public void Publish(IEnumerable<(string Sync, string SourceDatabase, IActorRef Replicator)> syncs) =>
        Volatile.Write(ref _syncs, syncs.ToImmutableDictionary(s => s.Sync, s => (s.SourceDatabase, s.Replicator), StringComparer.Ordinal));

    /// <summary>The replicator of <paramref name="sync"/>, or null when there is none (a stray notification).</summary>
    public IActorRef? Replicator(string sync) => Volatile.Read(ref _syncs).TryGetValue(sync, out var entry) ? entry.Replicator : null;

    /// <summary>The replicators of every sync reading from <paramref name="sourceDatabase"/>.</summary>
    public IEnumerable<IActorRef> ReplicatorsOf(string sourceDatabase) =>
        Volatile.Read(ref _syncs).Values.Where(e => e.SourceDatabase == sourceDatabase).Select(e => e.Replicator);

    /// <summary>Every sync and its replicator.</summary>
    public IReadOnlyDictionary<string, IActorRef> All => Volatile.Read(ref _syncs).ToDictionary(e => e.Key, e => e.Value.Replicator);
}
