namespace ActorSync.Configuration;

/// <summary>
/// A sync's <c>replica-identity</c> (issue #20): the opt-in that lets <c>run</c> set the replica identity of a source
/// table that WAL capture could not otherwise follow (no primary key, or one that does not hold the sync's key).
/// Without it ActorSync never changes a source table's replica identity: <c>check</c> and <c>run</c> refuse the sync.
/// </summary>
public enum ReplicaIdentity
{
    /// <summary><c>full</c>: <c>ALTER TABLE ... REPLICA IDENTITY FULL</c>: the WAL carries the whole old row of every UPDATE and DELETE.</summary>
    Full,

    /// <summary>
    /// <c>index</c>: <c>ALTER TABLE ... REPLICA IDENTITY USING INDEX</c> the unique index on exactly the sync's key columns
    /// (not partial, not deferrable, on NOT NULL columns, as PostgreSQL requires); refused when there is none.
    /// </summary>
    Index,
}
