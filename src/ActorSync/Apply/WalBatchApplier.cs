using ActorSync.Listening;
using Npgsql;

namespace ActorSync.Apply;

/// <summary>
/// Puts the keys of one WAL chunk (or backlog) in the source session's table of decoded keys
/// (<see cref="SyncPlan.ForWal"/>), once their transactions are visible, so that the delta path applies them.
/// </summary>
public static class WalBatchApplier
{
    private const int Slice = 50_000;
    private static readonly TimeSpan VisibilityTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Waits until every transaction of <paramref name="keys"/> is visible to a new snapshot, then fills the table of
    /// decoded keys. The wait matters: a transaction's commit record reaches the WAL (and the stream) a moment before the
    /// transaction leaves the server's list of running ones, and a snapshot taken in that moment would read the rows as
    /// they were before it, so the change would be confirmed without being applied.
    /// </summary>
    /// <returns>
    /// A snapshot taken before the keys are re-read (so every re-read sees at least what it saw), for the replicator to
    /// tell older decoded rows of those keys from newer ones (<see cref="WalReread"/>).
    /// </returns>
    public static async Task<WalReread> FillAsync(SyncPlan walPlan, NpgsqlConnection source, WalKeySet keys, CancellationToken cancellationToken)
    {
        await WaitUntilVisibleAsync(source, keys.Xids, cancellationToken);
        WalReread reread;
        await using (var snapshot = new NpgsqlCommand(WalReread.Sql, source))
        await using (var reader = await snapshot.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            // Only the keys re-read are as new as the snapshot: after a TRUNCATE the other keys are merely absent (a
            // row inserted later in the truncating transaction, decoded in the next chunk, must still be applied).
            reread = WalReread.Parse(keys, reader.GetString(0), reader.GetString(1));
        }

        await using (var create = new NpgsqlCommand(walPlan.CreateWalKeysTableSql + "; DELETE FROM " + walPlan.WalKeysTable, source))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        var at = keys.OldestCommit ?? DateTimeOffset.UtcNow;
        if (keys.Truncate)
        {
            await using var marker = new NpgsqlCommand(walPlan.InsertWalTruncateSql, source);
            marker.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = at });
            await marker.ExecuteNonQueryAsync(cancellationToken);
        }

        var width = walPlan.Keys.Count;
        var sequence = 0L;
        foreach (var slice in keys.Keys.Chunk(Slice))
        {
            await using var insert = new NpgsqlCommand(walPlan.InsertWalKeysSql, source);
            insert.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = at });
            insert.Parameters.Add(new NpgsqlParameter<long> { TypedValue = sequence });
            for (var i = 0; i < width; i++)
            {
                var column = i;
                insert.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = slice.Select(k => k[column]).ToArray() });
            }

            await insert.ExecuteNonQueryAsync(cancellationToken);
            sequence += slice.Length;
        }

        return reread;
    }

    /// <summary>Empties the table of decoded keys for good (TRUNCATE: temporary tables are never vacuumed).</summary>
    public static async Task ResetAsync(SyncPlan walPlan, NpgsqlConnection source, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(walPlan.CreateWalKeysTableSql + "; TRUNCATE " + walPlan.WalKeysTable, source);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task WaitUntilVisibleAsync(NpgsqlConnection source, IReadOnlyCollection<uint> xids, CancellationToken cancellationToken)
    {
        if (xids.Count == 0)
        {
            return;
        }

        // pgoutput sends 32-bit transaction ids; pg_visible_in_snapshot takes xid8. The epoch is the snapshot's, or the
        // one before for an id above the snapshot's xmax (the counter wrapped since).
        const string Sql = """
            SELECT coalesce(bool_and(pg_catalog.pg_visible_in_snapshot(
                (greatest(0, (c.m >> 32) - CASE WHEN x >= (c.m & 4294967295) THEN 1 ELSE 0 END) << 32 | x)::text::xid8, c.s)), true)
            FROM (SELECT s, pg_catalog.pg_snapshot_xmax(s)::text::bigint AS m FROM pg_catalog.pg_current_snapshot() AS s) AS c,
                 unnest($1::bigint[]) AS x
            """;
        var ids = xids.Select(x => (long)x).ToArray();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            await using var command = new NpgsqlCommand(Sql, source);
            command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = ids });
            if ((bool)(await command.ExecuteScalarAsync(cancellationToken))!)
            {
                return;
            }

            if (clock.Elapsed > VisibilityTimeout)
            {
                throw new TimeoutException($"Decoded transactions {string.Join(", ", ids.Take(5))} did not become visible within {VisibilityTimeout.TotalSeconds} s.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(1), cancellationToken);
        }
    }
}
