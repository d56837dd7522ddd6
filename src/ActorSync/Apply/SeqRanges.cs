namespace ActorSync.Apply;

/// <summary>
/// The delta rows a batch consumed, as contiguous ranges of sequence numbers. Deleting by these ranges removes exactly
/// the rows read: sequence numbers are unique, so a range in which every number was read holds no other row — in
/// particular no row of a transaction that was still open when the batch was read (those are the gaps).
/// </summary>
public sealed record SeqRanges(long[] Lower, long[] Upper)
{
    /// <summary>No ranges.</summary>
    public static readonly SeqRanges Empty = new([], []);

    /// <summary>The number of ranges.</summary>
    public int Count => Lower.Length;
}
