namespace ActorSync.Pools;

/// <summary>gDBPool's split: reads (delta, source rows, snapshot copies) and writes (target applies, delta deletes)
/// come from separate pools, so a burst of one never starves the other.</summary>
public enum ConnectionRole
{
    /// <summary>Reading the source: delta batches, current rows, snapshot ranges.</summary>
    Read,

    /// <summary>Writing: target applies, delta deletes, installs.</summary>
    Write,
}
