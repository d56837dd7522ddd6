using System.Data;
using System.Globalization;
using ActorSync.Telemetry;
using Npgsql;

namespace ActorSync.Apply;

/// <summary>
/// Applies one batch of a sync's delta (DESIGN.md, "The data path", step 3). Apply is state-based: for every changed
/// key the current source row is upserted into the target, or the target row deleted when the source has none, so
/// applying a batch twice converges to the same target. That is what makes a crash at any point harmless.
/// </summary>
public static class BatchApplier
{
    /// <summary>
    /// Source and target in different databases. In one REPEATABLE READ snapshot of the source, reads the first
    /// <paramref name="batchSize"/> delta rows and streams the current rows of their keys by COPY straight into the
    /// target's stage table; applies the stage in one target transaction; then deletes exactly the consumed delta rows.
    /// A crash between the target commit and the delta delete only means the batch is applied again.
    /// </summary>
    public static async Task<BatchResult> ApplyAsync(
        SyncPlan plan, NpgsqlConnection source, NpgsqlConnection target, int batchSize, TimeSpan applyTimeout,
        CancellationToken cancellationToken)
    {
        DeltaBatch batch;
        var upserted = 0L;
        var deleted = 0L;
        await using (var sourceTransaction = await source.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken))
        {
            // The batch's steps are spans under its span when tracing (issue 21), null otherwise.
            var read = await ReadStepAsync(plan, source, sourceTransaction, batchSize, cancellationToken);
            if (read is null)
            {
                return BatchResult.Nothing;
            }

            batch = read;

            var write = ActorSyncActivities.StartStep("target write");

            // A small batch fetches its source rows by index probes, and its target joins run as nested loops over the
            // target's key index (see SetTimeoutsAsync); a large one leaves the planner free, with fresh statistics.
            var small = batch.Rows <= SmallBatchRows;
            var probe = small && plan.SmallBatchesProbeSource;
            await using var targetTransaction = await target.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
            await SetTimeoutsAsync(target, targetTransaction, applyTimeout, nestedLoops: small, cancellationToken);
            if (batch.Truncate && plan.KeepsTargetRows)
            {
                // A referenced target cannot be truncated: delete the rows whose keys the source (in this snapshot,
                // after its TRUNCATE) no longer has. A child row still referencing one fails the batch, which is retried.
                await ExecuteAsync(target, targetTransaction, plan.TruncateStageKeysSql, null, cancellationToken);
                await CopyStreamer.StreamAsync(
                    source, plan.CopySourceKeysOutSql, target, plan.CopyKeysInSql, plan.BinaryCopy, null, cancellationToken);
                deleted = await ExecuteAsync(target, targetTransaction, plan.DeleteAbsentFromStageKeysSql, null, cancellationToken);
            }
            else if (batch.Truncate)
            {
                await ExecuteAsync(target, targetTransaction, plan.TruncateTargetSql, null, cancellationToken);
            }
            else if (plan.ReplaceRows)
            {
                // Delete every key of the batch, then COPY the rows that exist straight into the target. A small batch
                // sends its keys as parameters; a large one streams them into the stage of keys (no per-batch catalog
                // churn for the frequent small batches, no huge parameters for the rare large ones).
                long removed;
                if (batch.KeyRange is { } range && !await TargetHasKeyInRangeAsync(plan, target, targetTransaction, range, cancellationToken))
                {
                    // No target row has a key in the batch's range (new keys appended: a bulk load, an insert-only
                    // table): there is nothing to delete, so the keys need not travel.
                    removed = 0;
                }
                else if (batch.Rows <= SmallBatchRows)
                {
                    var keys = await ReadKeysAsync(plan, source, sourceTransaction, batch.MaxSeq, cancellationToken);
                    removed = keys[0].Length == 0 ? 0 : await DeleteKeysAsync(plan, target, targetTransaction, keys, cancellationToken);
                }
                else
                {
                    await ExecuteAsync(target, targetTransaction, plan.TruncateStageKeysSql, null, cancellationToken);
                    await CopyStreamer.StreamAsync(
                        source, plan.CopyKeysOutSql(batch.MaxSeq), target, plan.CopyKeysInSql, plan.BinaryCopy, null, cancellationToken);
                    if (batch.Rows >= LargeBatchRows)
                    {
                        await ExecuteAsync(target, targetTransaction, plan.AnalyzeStageKeysSql, null, cancellationToken);
                    }

                    removed = await ExecuteAsync(target, targetTransaction, plan.DeleteByStageKeysSql, null, cancellationToken);
                }

                upserted = await CopyStreamer.StreamAsync(
                    source, plan.CopyRowsOutSql(batch.MaxSeq, probe), target, plan.CopyRowsInSql, plan.BinaryCopy, null, cancellationToken);
                deleted = Math.Max(0, removed - upserted);
            }
            else
            {
                await ExecuteAsync(target, targetTransaction, plan.TruncateStageSql, null, cancellationToken);
                await CopyStreamer.StreamAsync(
                    source, plan.CopyOutSql(batch.MaxSeq, probe), target, plan.CopyInSql, plan.BinaryCopy, null, cancellationToken);
                deleted = await ExecuteAsync(target, targetTransaction, plan.DeleteFromStageSql, null, cancellationToken);
                upserted = await ExecuteAsync(target, targetTransaction, plan.UpsertFromStageSql, null, cancellationToken);
            }

            write?.Dispose();

            // The source snapshot is no longer needed; end it before the target commit so it is never held long.
            using (ActorSyncActivities.StartStep("commit"))
            {
                await sourceTransaction.CommitAsync(cancellationToken);
                await targetTransaction.CommitAsync(cancellationToken);
            }
        }

        using (ActorSyncActivities.StartStep("delete consumed"))
        {
            await DeleteConsumedAsync(plan, source, null, batch.Consumed, cancellationToken);
        }

        return new BatchResult(batch.Rows, upserted, deleted, batch.Truncate, batch.OldestCapturedAt);
    }

    /// <summary>
    /// Source and target in the same database: the delta read, the apply and the delta delete are one transaction,
    /// so each change is applied exactly once.
    /// </summary>
    public static async Task<BatchResult> ApplySameDatabaseAsync(
        SyncPlan plan, NpgsqlConnection connection, int batchSize, TimeSpan applyTimeout, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        DeltaBatch batch;
        var read = await ReadStepAsync(plan, connection, transaction, batchSize, cancellationToken);
        if (read is null)
        {
            return BatchResult.Nothing;
        }

        batch = read;

        var write = ActorSyncActivities.StartStep("target write");

        // The planner stays free here: these statements join the source too, and with nested loops forced it could scan
        // the source once per key when it misjudges which side is small.
        await SetTimeoutsAsync(connection, transaction, applyTimeout, nestedLoops: false, cancellationToken);
        long upserted = 0, deleted = 0;
        if (batch.Truncate && plan.KeepsTargetRows)
        {
            deleted = await ExecuteAsync(connection, transaction, plan.SameDatabaseDeleteAbsentSql, null, cancellationToken);
        }
        else if (batch.Truncate)
        {
            await ExecuteAsync(connection, transaction, plan.TruncateTargetSql, null, cancellationToken);
        }
        else
        {
            deleted = await ExecuteAsync(connection, transaction, plan.SameDatabaseDeleteSql, batch.MaxSeq, cancellationToken);
            upserted = await ExecuteAsync(connection, transaction, plan.SameDatabaseUpsertSql, batch.MaxSeq, cancellationToken);
        }

        await DeleteConsumedAsync(plan, connection, transaction, batch.Consumed, cancellationToken);
        write?.Dispose();
        using (ActorSyncActivities.StartStep("commit"))
        {
            await transaction.CommitAsync(cancellationToken);
        }

        return new BatchResult(batch.Rows, upserted, deleted, batch.Truncate, batch.OldestCapturedAt);
    }

    /// <summary>Batches of at most this many changes pass their keys as parameters instead of through the stage table.</summary>
    public const int SmallBatchRows = 10_000;

    /// <summary>From this many changes on, a batch refreshes the delta's statistics and gets more memory for its joins.</summary>
    public const int LargeBatchRows = 50_000;

    /// <summary>
    /// A delta that filled up since autovacuum last looked has no statistics, and the planner then guesses 200 distinct
    /// keys: for a batch of a million it chose a nested loop of a million index probes, 2.9 s where a hash join takes
    /// 0.9 s (measured with the 1,000,000-row bulk bench). So a large batch analyzes the delta first (a sample: tens of
    /// milliseconds), and raises work_mem for its own transaction so the hash of its keys stays in memory. ANALYZE waits
    /// for no one: if autovacuum holds the delta, the batch goes on with the statistics it has.
    /// </summary>
    private static async Task PrepareLargeBatchAsync(
        SyncPlan plan, NpgsqlConnection connection, NpgsqlTransaction transaction, DeltaBatch batch, CancellationToken cancellationToken)
    {
        if (batch.Rows < LargeBatchRows)
        {
            return;
        }

        await ExecuteAsync(connection, transaction, "SELECT set_config('work_mem', '64MB', true)", null, cancellationToken);
        await transaction.SaveAsync("actorsync_analyze", cancellationToken);
        try
        {
            await ExecuteAsync(connection, transaction, "SELECT set_config('lock_timeout', '100ms', true)", null, cancellationToken);
            await ExecuteAsync(connection, transaction, plan.AnalyzeDeltaSql, null, cancellationToken);
            await transaction.ReleaseAsync("actorsync_analyze", cancellationToken);
            await ExecuteAsync(connection, transaction, "SET LOCAL lock_timeout TO DEFAULT", null, cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.LockNotAvailable)
        {
            await transaction.RollbackAsync("actorsync_analyze", cancellationToken);
        }
    }

    private static async Task<string[][]> ReadKeysAsync(
        SyncPlan plan, NpgsqlConnection source, NpgsqlTransaction transaction, long maxSeq, CancellationToken cancellationToken)
    {
        var columns = plan.Keys.Select(_ => new List<string>()).ToArray();
        await using var command = new NpgsqlCommand(plan.SelectKeysAsTextSql, source, transaction);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = maxSeq });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            for (var i = 0; i < columns.Length; i++)
            {
                columns[i].Add(reader.GetString(i));
            }
        }

        return columns.Select(c => c.ToArray()).ToArray();
    }

    internal static async Task<long> DeleteKeysAsync(
        SyncPlan plan, NpgsqlConnection target, NpgsqlTransaction transaction, string[][] keys, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(plan.DeleteByKeyArraysSql, target, transaction);
        foreach (var column in keys)
        {
            command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = column });
        }

        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    internal static async Task<bool> TargetHasKeyInRangeAsync(
        SyncPlan plan, NpgsqlConnection target, NpgsqlTransaction transaction, (long Min, long Max) range, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(plan.TargetHasKeyInRangeSql, target, transaction);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = range.Min });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = range.Max });
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Counts the pending changes and the capture time of the oldest.</summary>
    public static async Task<(long Count, DateTimeOffset? Oldest)> PendingAsync(
        SyncPlan plan, NpgsqlConnection source, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(plan.PendingSql, source);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetFieldValue<DateTimeOffset>(1));
    }

    internal static async Task DeleteConsumedAsync(
        SyncPlan plan, NpgsqlConnection connection, NpgsqlTransaction? transaction, SeqRanges consumed,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(plan.DeleteConsumedSql, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = consumed.Lower });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = consumed.Upper });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Sets the batch transaction's timeouts: a locked target table must fail the batch (and let supervision retry)
    /// rather than hang the replicator. With <paramref name="nestedLoops"/> (a small batch) it also turns hash and merge
    /// joins off for the transaction. The statistics of tables that change many times a second are always stale, and
    /// with them the planner hashed 50 keys against a sequential scan of a 60,000-row table (pgbench's history, 3.5 ms
    /// a batch where the key index answers in microseconds). At most SmallBatchRows keys are probed one by one instead.
    /// </summary>
    internal static Task SetTimeoutsAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, TimeSpan applyTimeout, bool nestedLoops,
        CancellationToken cancellationToken) =>
        SetTimeoutsAsync(connection, transaction, applyTimeout, nestedLoops, "", cancellationToken);

    /// <summary>As above, with <paramref name="more"/> (<c>, set_config(...)</c> calls) in the same statement.</summary>
    internal static async Task SetTimeoutsAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, TimeSpan applyTimeout, bool nestedLoops, string more,
        CancellationToken cancellationToken)
    {
        var ms = ((long)Math.Max(1, applyTimeout.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture);
        var joins = nestedLoops ? ", set_config('enable_hashjoin', 'off', true), set_config('enable_mergejoin', 'off', true)" : "";
        await ExecuteAsync(
            connection, transaction,
            $"SELECT set_config('statement_timeout', '{ms}', true), set_config('lock_timeout', '{ms}', true){joins}{more}, {DurableCommit}", null,
            cancellationToken);
    }

    /// <summary>
    /// The batch's commit is durable when it returns, whatever the target's <c>synchronous_commit</c>: only then may the
    /// changes be let go (the delta rows deleted, the WAL slot confirmed). With <c>off</c> a crash of the target loses
    /// recently committed transactions, and the slot, whose confirmed position is saved apart from the WAL, would not
    /// send them again: the torture test lost rows that way on a server running with <c>synchronous_commit = off</c>.
    /// <c>off</c> becomes <c>local</c>; any stronger setting (a synchronous standby) is kept.
    /// </summary>
    private const string DurableCommit =
        "set_config('synchronous_commit', CASE current_setting('synchronous_commit') WHEN 'off' THEN 'local' ELSE current_setting('synchronous_commit') END, true)";

    internal static async Task<long> ExecuteAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, long? maxSeq, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        if (maxSeq is { } seq)
        {
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = seq });
        }

        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// The batch's "source read" step: its delta rows (and, for a large batch, what it prepares); null when nothing is
    /// pending, and then the step is not exported.
    /// </summary>
    private static async Task<DeltaBatch?> ReadStepAsync(
        SyncPlan plan, NpgsqlConnection source, NpgsqlTransaction transaction, int batchSize, CancellationToken cancellationToken)
    {
        using var read = ActorSyncActivities.StartStep("source read");
        var batch = await DeltaBatch.ReadAsync(plan, source, transaction, batchSize, cancellationToken);
        if (batch.IsEmpty)
        {
            ActorSyncActivities.Discard(read);
            return null;
        }

        await PrepareLargeBatchAsync(plan, source, transaction, batch, cancellationToken);
        return batch;
    }
}
