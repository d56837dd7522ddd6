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

    /// <summary>Compresses ascending sequence numbers into ranges.</summary>
    public static SeqRanges From(IReadOnlyList<long> ascending, int count)
    {
        if (count == 0)
        {
            return Empty;
        }

        var lower = new List<long> { ascending[0] };
        var upper = new List<long>();
        for (var i = 1; i < count; i++)
        {
            if (ascending[i] != ascending[i - 1] + 1)
            {
                upper.Add(ascending[i - 1]);
                lower.Add(ascending[i]);
            }
        }

        upper.Add(ascending[count - 1]);
        return new SeqRanges([.. lower], [.. upper]);
    }

    /// <summary>The number of ranges.</summary>
    public int Count => Lower.Length;
}
