using Npgsql;

namespace ActorSync.Apply;

/// <summary>
/// The delta rows one batch consumes, read in the batch's snapshot. A TRUNCATE marker cuts the batch: the marker and
/// every change before it are consumed together (they are superseded: the source was emptied after them), and the
/// batch then only empties the target.
/// </summary>
internal sealed class DeltaBatch
{
    private DeltaBatch(int rows, long maxSeq, bool truncate, SeqRanges consumed, DateTimeOffset? oldest)
    {
        Rows = rows;
        MaxSeq = maxSeq;
        Truncate = truncate;
        Consumed = consumed;
        OldestCapturedAt = oldest;
    }

    public int Rows { get; }

    public long MaxSeq { get; }

    public bool Truncate { get; }

    public SeqRanges Consumed { get; }

    public DateTimeOffset? OldestCapturedAt { get; }

    public bool IsEmpty => Rows == 0;

    /// <summary>
    /// Reads the next batch: every pending delta row, up to <paramref name="batchSize"/>. Each batch joins the delta with
    /// the source once, so a large bound lets a backlog of a million changes cost one pass instead of hundreds; the rows
    /// are streamed, only the batch's sequence numbers are held in memory. Two index probes on the sequence first tell
    /// whether anything is pending at all.
    /// </summary>
    public static async Task<DeltaBatch> ReadAsync(
        SyncPlan plan, NpgsqlConnection connection, NpgsqlTransaction transaction, int batchSize, CancellationToken cancellationToken)
    {
        await using (var span = new NpgsqlCommand(plan.PendingSpanSql, connection, transaction))
        {
            var pending = await span.ExecuteScalarAsync(cancellationToken) is long span64 ? span64 : 0;
            if (pending == 0)
            {
                return new DeltaBatch(0, 0, false, SeqRanges.Empty, null);
            }

            batchSize = (int)Math.Clamp(pending, 1, batchSize);
        }

        var seqs = new List<long>(Math.Min(batchSize, 1 << 16));
        var lastTruncate = -1;
        DateTimeOffset? oldest = null;
        await using (var command = new NpgsqlCommand(plan.ReadBatchSql, connection, transaction))
        {
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = batchSize });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                if (seqs.Count == 0)
                {
                    oldest = reader.GetFieldValue<DateTimeOffset>(2);
                }

                seqs.Add(reader.GetInt64(0));
                if (reader.GetBoolean(1))
                {
                    lastTruncate = seqs.Count - 1;
                }
            }
        }

        if (seqs.Count == 0)
        {
            return new DeltaBatch(0, 0, false, SeqRanges.Empty, null);
        }

        var count = lastTruncate >= 0 ? lastTruncate + 1 : seqs.Count;
        return new DeltaBatch(count, seqs[count - 1], lastTruncate >= 0, SeqRanges.From(seqs, count), oldest);
    }
}
