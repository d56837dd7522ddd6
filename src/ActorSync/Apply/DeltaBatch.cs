using Npgsql;

namespace ActorSync.Apply;

/// <summary>
/// The delta rows one batch consumes, read in the batch's snapshot. A TRUNCATE marker cuts the batch: the marker and
/// every change before it are consumed together (they are superseded: the source was emptied after them), and the
/// batch then only empties the target.
/// </summary>
internal sealed class DeltaBatch
{
    private DeltaBatch(int rows, long maxSeq, bool truncate, SeqRanges consumed, DateTimeOffset? oldest, (long Min, long Max)? keyRange)
    {
        Rows = rows;
        MaxSeq = maxSeq;
        Truncate = truncate;
        Consumed = consumed;
        OldestCapturedAt = oldest;
        KeyRange = keyRange;
    }

    public int Rows { get; }

    public long MaxSeq { get; }

    public bool Truncate { get; }

    public SeqRanges Consumed { get; }

    public DateTimeOffset? OldestCapturedAt { get; }

    public bool IsEmpty => Rows == 0;

    /// <summary>The lowest and highest key of the batch, when the sync has one integer key (<see cref="SyncPlan.HasIntegerKey"/>).</summary>
    public (long Min, long Max)? KeyRange { get; }

    /// <summary>
    /// Reads the next batch: the first <paramref name="batchSize"/> pending delta rows by sequence. Nothing but its
    /// bounds comes back: one pass on the server counts the rows and finds the first and last sequence number, the
    /// last TRUNCATE marker and the oldest capture time; when the numbers have gaps (transactions still open, or rolled
    /// back), a second query returns the contiguous ranges. A batch of a million changes costs no million round trips.
    /// </summary>
    public static async Task<DeltaBatch> ReadAsync(
        SyncPlan plan, NpgsqlConnection connection, NpgsqlTransaction transaction, int batchSize, CancellationToken cancellationToken)
    {
        long count, first, last;
        long? marker;
        DateTimeOffset? oldest;
        (long Min, long Max)? keyRange = null;
        await using (var command = new NpgsqlCommand(plan.BatchBoundsSql, connection, transaction))
        {
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = batchSize });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            count = reader.GetInt64(0);
            if (count == 0)
            {
                return new DeltaBatch(0, 0, false, SeqRanges.Empty, null, null);
            }

            first = reader.GetInt64(1);
            last = reader.GetInt64(2);
            marker = reader.IsDBNull(3) ? null : reader.GetInt64(3);
            oldest = reader.GetFieldValue<DateTimeOffset>(4);
            if (plan.HasIntegerKey && !reader.IsDBNull(5))
            {
                keyRange = (reader.GetInt64(5), reader.GetInt64(6));
            }
        }

        if (marker is null && count == last - first + 1)
        {
            return new DeltaBatch((int)count, last, false, new SeqRanges([first], [last]), oldest, keyRange);
        }

        // Gaps, or a TRUNCATE marker that cuts the batch: the rows up to the cut, as ranges.
        var upTo = marker ?? last;
        var lower = new List<long>();
        var upper = new List<long>();
        var rows = 0L;
        await using (var command = new NpgsqlCommand(plan.BatchRangesSql, connection, transaction))
        {
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = upTo });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                lower.Add(reader.GetInt64(0));
                upper.Add(reader.GetInt64(1));
                rows += upper[^1] - lower[^1] + 1;
            }
        }

        return new DeltaBatch((int)rows, upTo, marker is not null, new SeqRanges([.. lower], [.. upper]), oldest, keyRange);
    }
}
