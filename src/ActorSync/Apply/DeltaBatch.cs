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

    /// <summary>The largest batch: each batch joins the delta with the source once, so a backlog of a million changes
    /// costs one pass instead of two hundred; the rows themselves are streamed, only sequence numbers are held.</summary>
    public const int MaxBatchSize = 1_000_000;

    /// <summary>
    /// Reads the next batch: <paramref name="batchSize"/> delta rows, or more when a backlog is waiting (the span of
    /// pending sequence numbers, two index probes, sizes the batch up to <see cref="MaxBatchSize"/>).
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

            batchSize = (int)Math.Clamp(pending, batchSize, Math.Max(batchSize, MaxBatchSize));
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
