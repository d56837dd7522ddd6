using ActorSync.Apply;
using ActorSync.Configuration;
using ActorSync.Pools;
using ActorSync.Postgres;
using ActorSync.State;
using ActorSync.Telemetry;
using Npgsql;

namespace ActorSync.Snapshot;

/// <summary>
/// Copies the rows that exist in a sync's source (DESIGN.md, "Snapshot"). Capture must be installed first, so every
/// change made during the copy is in the delta and applied afterwards: nothing is lost. The table is split into key
/// ranges copied in parallel by streamed COPY; each range commits together with its checkpoint in the target, so a
/// copy that is killed resumes with the ranges not yet done. Each key lies in exactly one range and each range is
/// copied once, so nothing is duplicated either.
/// </summary>
public static class SnapshotRunner
{
    /// <summary>What a call to <see cref="RunAsync"/> did.</summary>
    public enum Outcome
    {
        /// <summary>The snapshot was already done for this configuration.</summary>
        AlreadyDone,

        /// <summary>A new snapshot was copied from scratch.</summary>
        Copied,

        /// <summary>An interrupted snapshot was resumed and finished.</summary>
        Resumed,
    }

    /// <summary>
    /// Runs (or resumes) the snapshot when the sync needs one; with <paramref name="force"/>, copies again from scratch
    /// even when done (resync). <paramref name="started"/> hears when the ranges are known (true: a resumed copy).
    /// </summary>
    public static async Task<Outcome> RunAsync(
        SyncPlan plan, IConnectionLeaser leaser, SnapshotProgress progress, bool force, CancellationToken cancellationToken,
        Action<bool>? started = null)
    {
        var sync = plan.Sync;
        var resumed = false;
        List<KeyRange> pending;
        long rowsDone;
        int rangesTotal;
        await using (var target = await leaser.LeaseAsync(sync.Target.Database, ConnectionRole.Write, cancellationToken))
        {
            var state = await SyncStateStore.ReadAsync(target.Connection, sync.SqlName, cancellationToken);
            var fresh = force || state is null || state.ConfigFingerprint != plan.Fingerprint || state.SnapshotStatus == SnapshotStatus.Pending;
            if (!fresh && state!.SnapshotStatus == SnapshotStatus.Done)
            {
                return Outcome.AlreadyDone;
            }

            if (fresh)
            {
                await StartFreshAsync(plan, leaser, target.Connection, cancellationToken);
            }
            else
            {
                resumed = true;
            }

            (pending, rowsDone) = await SyncStateStore.ReadRangesAsync(target.Connection, sync.SqlName, cancellationToken);
            rangesTotal = await CountRangesAsync(target.Connection, sync.SqlName, cancellationToken);
            state = await SyncStateStore.ReadAsync(target.Connection, sync.SqlName, cancellationToken);
            progress.Start(state?.RowsEstimated ?? 0, rowsDone, rangesTotal, rangesTotal - pending.Count);
            progress.DeferredIndexes = await IndexDeferral.ListAsync(target.Connection, sync.SqlName, cancellationToken);
        }

        started?.Invoke(resumed);

        await Parallel.ForEachAsync(
            pending,
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, sync.SnapshotParallelism), CancellationToken = cancellationToken },
            async (range, ct) => await CopyRangeAsync(plan, leaser, range, progress, ct));

        await using (var target = await leaser.LeaseAsync(sync.Target.Database, ConnectionRole.Write, cancellationToken))
        {
            // The deferred indexes are built in the transaction that marks the copy done: until then a restart resumes.
            await using var transaction = await target.Connection.BeginTransactionAsync(cancellationToken);
            await IndexDeferral.RebuildAsync(target.Connection, transaction, sync.SqlName, cancellationToken);
            if (plan.KeepsTargetRows)
            {
                await DeleteRowsTheSourceLacksAsync(plan, leaser, target.Connection, transaction, cancellationToken);
            }

            await SyncStateStore.CompleteSnapshotAsync(target.Connection, transaction, sync.SqlName, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        return resumed ? Outcome.Resumed : Outcome.Copied;
    }

    private static async Task StartFreshAsync(
        SyncPlan plan, IConnectionLeaser leaser, NpgsqlConnection target, CancellationToken cancellationToken)
    {
        var sync = plan.Sync;
        await SyncStateStore.BeginSnapshotAsync(
            target, sync.SqlName, sync.Source.ToString(), sync.Target.ToString(), plan.Fingerprint, SchemaChange.Describe(plan.Source),
            cancellationToken);
        IReadOnlyList<KeyRange> ranges;
        long estimate;
        await using (var source = await leaser.LeaseAsync(sync.Source.Database, ConnectionRole.Write, cancellationToken))
        {
            // Every change committed by now is in every range's copy (each range reads the table later), so the delta
            // rows recorded so far are superseded: without this a resync would copy the table and then apply them all.
            // WAL capture has no delta: keys that arrive during the copy wait in the sync's backlog (issue #20).
            if (sync.CaptureMode != Capture.CaptureMode.Wal)
            {
                await using var superseded = new NpgsqlCommand($"DELETE FROM {plan.DeltaTable}", source.Connection);
                await superseded.ExecuteNonQueryAsync(cancellationToken);
            }

            (ranges, estimate) = await RangePlanner.PlanAsync(source.Connection, plan, sync.SnapshotParallelism, cancellationToken);
        }

        // Emptying the target and recording the ranges commit together: a crash either leaves the old state
        // ('pending', copied again from scratch) or the new one ('copying' with every range still to do).
        await using var transaction = await target.BeginTransactionAsync(cancellationToken);
        // A target that a foreign key references is not emptied (its children would break, and TRUNCATE is refused),
        // and its indexes stay, since its ranges upsert by key (issue #19).
        if (!plan.KeepsTargetRows)
        {
            if (sync.SnapshotIndexes == SnapshotIndexes.Defer)
            {
                await IndexDeferral.DeferAsync(target, transaction, sync.SqlName, plan.TargetTable, cancellationToken);
            }

            await using var truncate = new NpgsqlCommand(plan.TruncateTargetSql, target, transaction);
            await truncate.ExecuteNonQueryAsync(cancellationToken);
        }

        await SyncStateStore.SaveRangesAsync(target, transaction, sync.SqlName, ranges, estimate, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task CopyRangeAsync(
        SyncPlan plan, IConnectionLeaser leaser, KeyRange range, SnapshotProgress progress, CancellationToken cancellationToken)
    {
        var sync = plan.Sync;
        var copied = 0L;

        // Ranges run in parallel tasks of the snapshot: each its own root span (issue 21).
        using var span = ActorSyncActivities.Source.HasListeners()
            ? ActorSyncActivities.Source.StartActivity("snapshot range", System.Diagnostics.ActivityKind.Internal, parentContext: default)
            : null;
        span?.SetTag("sync", sync.Name);
        span?.SetTag("range", range.Number);
        try
        {
            await using var source = await leaser.LeaseAsync(sync.Source.Database, ConnectionRole.Read, cancellationToken);
            await using var target = await leaser.LeaseAsync(sync.Target.Database, ConnectionRole.Write, cancellationToken);
            await using var transaction = await target.Connection.BeginTransactionAsync(cancellationToken);
            if (plan.KeepsTargetRows)
            {
                await ExecuteAsync(target.Connection, transaction, plan.CreateRangeStageSql, cancellationToken);
            }

            var rows = await CopyStreamer.StreamAsync(
                source.Connection, plan.SnapshotCopyOutSql(range.Predicate(plan)), target.Connection,
                plan.KeepsTargetRows ? plan.CopyRangeStageInSql : plan.CopyRowsInSql,
                plan.BinaryCopy,
                n =>
                {
                    copied += n;
                    progress.AddRows(n);
                },
                cancellationToken);
            if (plan.KeepsTargetRows)
            {
                await ExecuteAsync(target.Connection, transaction, plan.UpsertFromRangeStageSql, cancellationToken);
            }

            await SyncStateStore.CompleteRangeAsync(target.Connection, transaction, sync.SqlName, range.Number, rows, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            progress.RangeDone();
            span?.SetTag("rows", rows);
        }
        catch (Exception error)
        {
            ActorSyncActivities.Failed(span, error);
            // The range's rows were rolled back with its transaction: take them off the progress too.
            progress.AddRows(-copied);
            throw;
        }
    }

    /// <summary>
    /// A target that keeps its rows had every source row upserted by the ranges; what remains to remove are the rows
    /// whose keys the source no longer has. Its keys are read now, in one snapshot later than every range's: a row
    /// the source gained since is kept, one it lost since is in the delta as well. A child that still references a
    /// removed row fails this step (RESTRICT); the copy is then finished on the next try, once the child is gone.
    /// </summary>
    private static async Task DeleteRowsTheSourceLacksAsync(
        SyncPlan plan, IConnectionLeaser leaser, NpgsqlConnection target, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        if (plan.Sync.SameDatabase)
        {
            // One database has no stage of keys: the source is at hand in the same transaction.
            await ExecuteAsync(target, transaction, plan.SameDatabaseDeleteAbsentSql, cancellationToken);
            return;
        }

        await using var source = await leaser.LeaseAsync(plan.Sync.Source.Database, ConnectionRole.Read, cancellationToken);
        await ExecuteAsync(target, transaction, plan.TruncateStageKeysSql, cancellationToken);
        await CopyStreamer.StreamAsync(
            source.Connection, plan.CopySourceKeysOutSql, target, plan.CopyKeysInSql, plan.BinaryCopy, null, cancellationToken);
        await ExecuteAsync(target, transaction, plan.DeleteAbsentFromStageKeysSql, cancellationToken);
    }

    private static async Task ExecuteAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<int> CountRangesAsync(NpgsqlConnection target, string sync, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT count(*)::int FROM actorsync.snapshot_ranges WHERE sync_name = $1", target);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = sync });
        return (int)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
