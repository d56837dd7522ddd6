namespace ActorSync.Apply;

/// <summary>What one batch did.</summary>
/// <param name="DeltaRows">Delta rows consumed (0: the delta was empty, nothing was done).</param>
/// <param name="Upserted">Target rows inserted or updated.</param>
/// <param name="Deleted">Target rows deleted (their key is gone from the source or no longer matches <c>where</c>).</param>
/// <param name="Truncated">The batch ended at a TRUNCATE of the source: the target was emptied.</param>
/// <param name="OldestCapturedAt">Capture time of the oldest change in the batch.</param>
public readonly record struct BatchResult(int DeltaRows, long Upserted, long Deleted, bool Truncated, DateTimeOffset? OldestCapturedAt)
{
    /// <summary>An empty delta.</summary>
    public static BatchResult Nothing => default;

    /// <summary>Keys of this batch the target refused, recorded as dead letters (<c>on-apply-error = dead-letter</c>).</summary>
    public int DeadLettered { get; init; }

    /// <summary>The sync's dead letters after the batch, when the batch counted them (null: unchanged).</summary>
    public long? DeadLetters { get; init; }

    /// <summary>True when the delta held nothing.</summary>
    public bool IsEmpty => DeltaRows == 0;
}
